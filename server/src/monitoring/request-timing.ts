import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { getService } from '../get-service';
import { RateLimitedLog } from './rate-limited-log';

/** The label of every request no route matched (404s): one label, never the URL. */
export const UNMATCHED_ROUTE = '(unmatched)';
/** Files served by Strapi's catch-all static route (`public/`). */
export const STATIC_ROUTE = '(static)';

/** Set by a middleware that serves a route itself, before Strapi's router (public-endpoints). */
export const ROUTE_LABEL_STATE = 'usageAnalyticsRoute';

/** The route pattern of a finished request: Strapi's router's matched path, e.g. /api/articles/:id. */
export function routeLabel(ctx: Context, status: number): string {
  const own = ctx.state?.[ROUTE_LABEL_STATE];
  if (typeof own === 'string') return own;
  // Strapi sets state.route when one of its routes handled the request; the router's
  // _matchedRoute is that route's full pattern, prefix included (state.route.path lacks it).
  const route = ctx.state?.route as { path?: unknown } | undefined;
  if (!route) return UNMATCHED_ROUTE;
  const matched = String(
    (ctx as unknown as { _matchedRoute?: unknown })._matchedRoute ?? route.path
  );
  // The static catch-all is a pattern such as /((?!uploads/).+): not a route of the app.
  if (matched.includes('(')) return status === 404 ? UNMATCHED_ROUTE : STATIC_ROUTE;
  return matched.slice(0, 255);
}

export function isExcluded(path: string, excluded: readonly string[]): boolean {
  for (const prefix of excluded) {
    if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
      return true;
    }
  }
  return false;
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/**
 * Times every request (registered first with `strapi.server.use`, so it wraps the plugin's own
 * fast-path endpoints too): the duration until the response is decided, by method, route pattern
 * and status. Costs a clock read and a map lookup; an error in here is logged once a minute and
 * never reaches the request.
 */
export const createRequestTiming = (strapi: Core.Strapi) => {
  let state: {
    on: boolean;
    excluded: string[];
    monitoring: ReturnType<typeof getService<'monitoring'>>;
    metrics: ReturnType<typeof getService<'metrics'>>;
  } | null = null;
  const log = new RateLimitedLog(strapi.log, 60_000);

  const setup = () => {
    const config = getService(strapi, 'plugin-config').get();
    return {
      on: config.monitoring.enabled,
      excluded: config.monitoring.excludePaths,
      monitoring: getService(strapi, 'monitoring'),
      metrics: getService(strapi, 'metrics'),
    };
  };

  return async (ctx: Context, next: Next) => {
    state ??= setup();
    if (!state.on || isExcluded(ctx.path, state.excluded)) return next();
    const { monitoring, metrics } = state;
    const started = performance.now();
    let status = 500;
    monitoring.requestStarted();
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      status = statusOf(error);
      throw error;
    } finally {
      monitoring.requestEnded();
      try {
        const ms = performance.now() - started;
        const route = routeLabel(ctx, status);
        monitoring.record(ctx.method, route, status, ms);
        metrics.observeRequest(ctx.method, route, status, ms / 1000);
      } catch (error) {
        log.error(
          'timing',
          `[usage-analytics] could not time a request: ${error instanceof Error ? error.message : error}`
        );
      }
    }
  };
};
