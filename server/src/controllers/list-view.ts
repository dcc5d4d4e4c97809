import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { LIST_VIEW_MAX_IDS } from '../../../shared/contracts/list-view';
import { contentTypeUid, documentId, locale } from '../collection/entry-ref';
import { describeIssues } from '../collection/tracker-payload';
import { getService } from '../get-service';
import { rejectRequest } from './respond';

const viewsQuery = z.strictObject({
  contentType: contentTypeUid,
  documentIds: z
    .string()
    .transform((list) => [...new Set(list.split(',').filter(Boolean))])
    .pipe(
      z
        .array(documentId)
        .min(1, { message: 'must name at least one document id' })
        .max(LIST_VIEW_MAX_IDS, { message: `must name at most ${LIST_VIEW_MAX_IDS} document ids` })
    ),
  locale: locale.optional(),
});

/** Admin routes of the Content Manager list view's "Views (30 d)" column. */
const createListViewController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async config(ctx: Context) {
    ctx.body = { data: getService(strapi, 'list-view').config() };
  },

  async views(ctx: Context) {
    const parsed = viewsQuery.safeParse(ctx.query);
    if (!parsed.success) return rejectRequest(ctx, 400, describeIssues(parsed.error));
    const { contentType, documentIds, locale: inLocale } = parsed.data;
    if (!strapi.contentTypes[contentType as keyof typeof strapi.contentTypes]) {
      return rejectRequest(ctx, 400, `contentType: no content type "${contentType}" in this app`);
    }
    ctx.body = {
      data: await getService(strapi, 'list-view').views(contentType, documentIds, inLocale),
    };
  },
});

export default createListViewController;
