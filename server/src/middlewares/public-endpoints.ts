import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { PLUGIN_ID } from '../../../shared/permissions';
import { readRawBody } from '../collection/raw-body';
import { ROUTE_LABEL_STATE } from '../monitoring/request-timing';
import { getService } from '../get-service';
import { EVENT_ENDPOINTS } from '../routes/event-endpoints';

type Handler = (ctx: Context) => Promise<void>;

/** Event endpoints by their path under the prefix (no leading slash). */
const BY_SUFFIX = new Map(EVENT_ENDPOINTS.map((endpoint) => [endpoint.path.slice(1), endpoint]));

/**
 * Runs before Strapi's own middlewares for the public tracking endpoints under `prefix`:
 * - answers CORS preflights of the event endpoints (Strapi's CORS middleware does not allow
 *   Umami's `x-umami-cache`);
 * - serves the event POSTs itself: reads the body (bounded), calls the controller and answers,
 *   without Strapi's router, body parser, session and logger. These endpoints need none of them,
 *   and a beacon endpoint should cost little more than a health check. Everything else — the
 *   tracker script included — goes through Strapi's routes as usual.
 */
export const createPublicEndpoints = (strapi: Core.Strapi, prefix: string) => {
  let handlers: Map<string, [Handler, number]> | null = null;
  const handlerFor = (path: string) => {
    if (!handlers) {
      handlers = new Map();
      for (const [suffix, { handler, bodyLimit }] of BY_SUFFIX) {
        const [controller, action] = handler.split('.');
        const instance = strapi.plugin(PLUGIN_ID).controller(controller) as unknown as Record<
          string,
          Handler
        >;
        handlers.set(`${prefix}${suffix}`, [instance[action].bind(instance), bodyLimit]);
      }
    }
    return handlers.get(path);
  };

  const serve = async (ctx: Context, next: Next) => {
    // Preflights of the event endpoints only: the routes for frontends get Strapi's CORS.
    if (ctx.method === 'OPTIONS' && BY_SUFFIX.has(ctx.path.slice(prefix.length))) {
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', 'Content-Type, x-umami-cache');
      ctx.set('Access-Control-Max-Age', '86400');
      ctx.status = 204;
      return;
    }
    const endpoint = ctx.method === 'POST' ? handlerFor(ctx.path) : undefined;
    if (!endpoint) return next();
    const [handler, limit] = endpoint;
    ctx.state[ROUTE_LABEL_STATE] = ctx.path; // one of four fixed paths: a route label
    const body = await readRawBody(ctx.req, limit);
    // Every answer of an event endpoint may be read by a tracker on any site.
    ctx.set('Access-Control-Allow-Origin', '*');
    if (!body.ok) {
      ctx.status = body.status;
      ctx.body = {
        data: null,
        error: {
          status: body.status,
          message:
            body.status === 413
              ? `body must be at most ${limit} bytes`
              : 'the request body could not be read',
        },
      };
      return;
    }
    (ctx.request as unknown as { body: unknown }).body = body.text;
    try {
      await handler(ctx);
      // Strapi runs the plugin's destroy (its last flush) before it closes the HTTP server, so
      // an event can still arrive while it shuts down: it is written before it is acknowledged,
      // or it is not acknowledged (the database may already be going away).
      const pipeline = getService(strapi, 'event-pipeline');
      if (ctx.status < 300 && pipeline.stopping() && !(await pipeline.settle())) {
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = {
          data: null,
          error: { status: 503, message: 'Strapi is shutting down; the event was not stored' },
        };
      }
    } catch (error) {
      // A tracking endpoint never answers 5xx: log the cause, tell the client nothing was stored.
      strapi.log.error(
        `[usage-analytics] ${ctx.path} failed: ${error instanceof Error ? error.message : error}`
      );
      ctx.status = 400;
      ctx.body = {
        data: null,
        error: { status: 400, message: 'the event could not be processed' },
      };
    }
  };
  // Every other request passes straight on, without an async frame of its own.
  return (ctx: Context, next: Next) => (ctx.path.startsWith(prefix) ? serve(ctx, next) : next());
};
