import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../get-service';
import { describeIssues } from '../collection/tracker-payload';
import { entryParamsSchema, rangeSchema, resolveRange } from '../stats/stats-query';
import { rejectRequest } from './respond';

/** Admin stats routes: validate the query, call the stats service, return `{ data }`. */
const createStatsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const range = (ctx: Context) => {
    const parsed = rangeSchema.safeParse(ctx.query);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const resolved = resolveRange(parsed.data);
    return typeof resolved === 'string'
      ? { error: resolved }
      : { range: resolved, query: parsed.data };
  };

  return {
    async overview(ctx: Context) {
      const r = range(ctx);
      if ('error' in r) return rejectRequest(ctx, 400, r.error ?? 'invalid query');
      const { contentType, locale } = r.query;
      ctx.body = {
        data: await getService(strapi, 'stats').overview(r.range, { contentType, locale }),
      };
    },

    async content(ctx: Context) {
      const params = entryParamsSchema.safeParse({
        contentType: ctx.params.contentType,
        documentId: ctx.params.documentId,
      });
      if (!params.success) return rejectRequest(ctx, 400, describeIssues(params.error));
      const r = range(ctx);
      if ('error' in r) return rejectRequest(ctx, 400, r.error ?? 'invalid query');
      if (!strapi.contentTypes[params.data.contentType as keyof typeof strapi.contentTypes]) {
        return rejectRequest(
          ctx,
          400,
          `contentType: no content type "${params.data.contentType}" in this app`
        );
      }
      const data = await getService(strapi, 'stats').content(r.range, {
        ...params.data,
        locale: r.query.locale,
      });
      ctx.body = { data };
    },

    async realtime(ctx: Context) {
      ctx.body = { data: await getService(strapi, 'stats').realtime() };
    },
  };
};

export default createStatsController;
