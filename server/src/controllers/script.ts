import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { TRACKER_JS } from '../tracker/tracker-bundle';

const ETAG = `"${createHash('sha256').update(TRACKER_JS).digest('base64url').slice(0, 16)}"`;

/** GET /api/usage-analytics/script.js — the tracker, cacheable for a day, loadable cross-origin. */
const createScriptController = () => ({
  async serve(ctx: Context) {
    ctx.set('Cache-Control', 'public, max-age=86400, stale-while-revalidate=604800');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('ETag', ETAG);
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.status = 200; // Koa only compares validators for a 2xx answer
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = TRACKER_JS;
  },
});

export default createScriptController;
