import type { Context, Next } from 'koa';

/**
 * Answers CORS preflights for the public tracking endpoints before Strapi's own CORS middleware,
 * whose allowed headers do not include Umami's `x-umami-cache`. Trackers on any site may post
 * events here; the endpoints carry no credentials and reveal nothing.
 */
export const createTrackingCors = (prefix: string) => async (ctx: Context, next: Next) => {
  if (ctx.method !== 'OPTIONS' || !ctx.path.startsWith(prefix)) return next();
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  ctx.set('Access-Control-Allow-Headers', 'Content-Type, x-umami-cache');
  ctx.set('Access-Control-Max-Age', '86400');
  ctx.status = 204;
};
