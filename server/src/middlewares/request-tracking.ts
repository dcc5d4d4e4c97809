import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { describeContentRead } from '../collection/content-read';
import { visitorFromRequest } from '../collection/visitor-context';
import { getService } from '../get-service';

/**
 * Sees every request (registered with `strapi.server.use`). After Strapi has answered, a
 * successful Content API read of one document becomes a view and any other find a list read.
 * It only reads the finished response and pushes into memory; an error here is logged, never
 * passed on to the request.
 */
export const createRequestTracking = (strapi: Core.Strapi) => {
  let lastErrorLog = 0;
  let services: {
    config: ReturnType<typeof getService<'plugin-config'>>;
    collector: ReturnType<typeof getService<'collector'>>;
  } | null = null;
  return async (ctx: Context, next: Next) => {
    await next();
    if (ctx.method !== 'GET' || ctx.status !== 200) return;
    try {
      const route = ctx.state?.route as { handler?: unknown; info?: { type?: string } } | undefined;
      if (route?.info?.type !== 'content-api') return;
      services ??= {
        config: getService(strapi, 'plugin-config'),
        collector: getService(strapi, 'collector'),
      };
      if (!services.config.get().trackApiReads) return;
      const read = describeContentRead(route.handler, ctx.body);
      if (!read) return;
      services.collector.record(
        {
          kind: read.kind === 'view' ? 'api_read' : 'list_read',
          source: 'api',
          ts: Date.now(),
          path: ctx.path.slice(0, 2000),
          contentType: read.contentType,
          documentId: read.kind === 'view' ? read.documentId : null,
          locale: read.kind === 'view' ? read.locale : null,
        },
        visitorFromRequest(ctx)
      );
    } catch (error) {
      const now = Date.now();
      if (now - lastErrorLog > 60_000) {
        lastErrorLog = now;
        strapi.log.error(
          `[usage-analytics] could not record a Content API read: ${error instanceof Error ? error.message : error}`
        );
      }
    }
  };
};
