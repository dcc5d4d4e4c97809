import type { Context, Next } from 'koa';

/**
 * Runs before Strapi's own middlewares for the public tracking endpoints under `prefix`:
 * - answers CORS preflights itself, since Strapi's CORS middleware does not allow Umami's
 *   `x-umami-cache` header (trackers on any site may post here; nothing is secret);
 * - lets Strapi's body parser read a JSON body as text, so a malformed body gets the endpoint's
 *   own 400 with a reason instead of a parser exception logged as an error for every bad request.
 */
export const createPublicEndpoints = (prefix: string) => async (ctx: Context, next: Next) => {
  if (!ctx.path.startsWith(prefix)) return next();
  if (ctx.method === 'OPTIONS') {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    ctx.set('Access-Control-Allow-Headers', 'Content-Type, x-umami-cache');
    ctx.set('Access-Control-Max-Age', '86400');
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.is('json')) ctx.req.headers['content-type'] = 'text/plain';
  return next();
};
