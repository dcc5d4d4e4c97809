import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../get-service';

/**
 * GET /api/usage-analytics/metrics: Prometheus text format. 404 unless `metrics.enabled`; 401
 * without the configured bearer token.
 */
const createMetricsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async scrape(ctx: Context) {
    const metrics = getService(strapi, 'metrics');
    const registry = metrics.registry();
    if (!registry) {
      ctx.status = 404;
      ctx.body = {
        data: null,
        error: { status: 404, name: 'NotFoundError', message: 'Not Found' },
      };
      return;
    }
    if (!metrics.authorized(ctx.get('authorization'))) {
      ctx.set('WWW-Authenticate', 'Bearer realm="usage-analytics metrics"');
      ctx.status = 401;
      ctx.body = {
        data: null,
        error: {
          status: 401,
          name: 'UnauthorizedError',
          message: 'a valid bearer token is required',
        },
      };
      return;
    }
    ctx.set('Content-Type', registry.contentType);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await registry.metrics();
  },
});

export default createMetricsController;
