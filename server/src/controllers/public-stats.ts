import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { describeIssues } from '../collection/tracker-payload';
import { getService } from '../get-service';
import { PUBLIC_CACHE_SECONDS } from '../services/public-stats';
import { entryViewsSchema, popularQuerySchema } from '../stats/public-query';
import { readableContentTypes } from '../stats/readable-types';
import { rejectRequest } from './respond';

/**
 * The Content API routes for frontends. Strapi's router has already checked the route's own
 * action (`plugin::usage-analytics.popular.find`, `….views.findOne`); here the caller's right
 * to `find` each content type decides which entries it may see.
 */
const cacheHeaders = (ctx: Context) => {
  const auth = ctx.state.auth as { credentials?: unknown } | undefined;
  // Only an answer to an anonymous caller (the Public role) may be kept by shared caches.
  ctx.set(
    'Cache-Control',
    auth?.credentials ? 'private, no-store' : `public, max-age=${PUBLIC_CACHE_SECONDS}`
  );
  ctx.vary('Authorization');
};

/** Handler `popular.find`: a find-type action, so read-only API tokens may call it. */
export const createPopularController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const parsed = popularQuerySchema.safeParse(ctx.query);
    if (!parsed.success) return rejectRequest(ctx, 400, describeIssues(parsed.error));
    const query = parsed.data;
    const readable = await readableContentTypes(strapi, ctx.state.auth);
    if (query.contentType && !readable.has(query.contentType)) {
      return rejectRequest(ctx, 403, `contentType: you may not read ${query.contentType}`);
    }
    const body = await getService(strapi, 'public-stats').popular(query, readable);
    cacheHeaders(ctx);
    ctx.body = body;
  },
});

/** Handler `views.findOne`: a find-type action, so read-only API tokens may call it. */
export const createViewsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async findOne(ctx: Context) {
    const parsed = entryViewsSchema.safeParse({
      ...ctx.query,
      contentType: ctx.params.contentType,
      documentId: ctx.params.documentId,
    });
    if (!parsed.success) return rejectRequest(ctx, 400, describeIssues(parsed.error));
    const query = parsed.data;
    if (!strapi.contentTypes[query.contentType as keyof typeof strapi.contentTypes]) {
      return rejectRequest(ctx, 404, `contentType: no content type "${query.contentType}"`);
    }
    const readable = await readableContentTypes(strapi, ctx.state.auth);
    if (!readable.has(query.contentType)) {
      return rejectRequest(ctx, 403, `contentType: you may not read ${query.contentType}`);
    }
    const body = await getService(strapi, 'public-stats').entryViews(query);
    if (!body) return rejectRequest(ctx, 404, 'no published entry with this documentId');
    cacheHeaders(ctx);
    ctx.body = body;
  },
});
