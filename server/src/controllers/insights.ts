import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { z } from 'zod';
import { getService } from '../get-service';
import { describeIssues } from '../collection/tracker-payload';
import { rangeSchema, resolveRange } from '../stats/stats-query';
import { contentTableSchema } from '../stats/table-query';
import { rejectRequest } from './respond';

/** Validates a range query with `schema`: the parsed query and its resolved range, or an error. */
export function parseRange<S extends z.ZodType<z.infer<typeof rangeSchema>>>(
  ctx: Context,
  schema: S
) {
  const parsed = schema.safeParse(ctx.query);
  if (!parsed.success) return { error: describeIssues(parsed.error) };
  const resolved = resolveRange(parsed.data);
  return typeof resolved === 'string'
    ? { error: resolved }
    : { range: resolved, query: parsed.data as z.infer<S> };
}

/** Admin routes of the dashboard's content table, insights and editorial chart marks. */
const createInsightsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async contentTable(ctx: Context) {
    const r = parseRange(ctx, contentTableSchema);
    if ('error' in r) return rejectRequest(ctx, 400, r.error ?? 'invalid query');
    const { contentType, locale, sort, order, limit, offset } = r.query;
    ctx.body = {
      data: await getService(strapi, 'insights').contentTable(
        r.range,
        { contentType, locale },
        { sort: sort ?? 'views', order: order ?? 'desc', limit: limit ?? 10, offset: offset ?? 0 }
      ),
    };
  },

  async insights(ctx: Context) {
    const r = parseRange(ctx, rangeSchema);
    if ('error' in r) return rejectRequest(ctx, 400, r.error ?? 'invalid query');
    const { contentType, locale } = r.query;
    ctx.body = {
      data: await getService(strapi, 'insights').insights(r.range, { contentType, locale }),
    };
  },

  async editorial(ctx: Context) {
    const r = parseRange(ctx, rangeSchema);
    if ('error' in r) return rejectRequest(ctx, 400, r.error ?? 'invalid query');
    const { contentType, locale } = r.query;
    ctx.body = {
      data: await getService(strapi, 'insights').editorial(r.range, { contentType, locale }),
    };
  },
});

export default createInsightsController;
