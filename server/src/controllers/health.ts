import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../get-service';
import { describeIssues } from '../collection/tracker-payload';
import { healthQuerySchema, resolveHealthRange } from '../monitoring/health-range';
import { rejectRequest } from './respond';

/** GET /usage-analytics/health: validate the range, return the health report. */
const createHealthController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(ctx: Context) {
    const parsed = healthQuerySchema.safeParse(ctx.query);
    if (!parsed.success) return rejectRequest(ctx, 400, describeIssues(parsed.error));
    const range = resolveHealthRange(parsed.data);
    if (typeof range === 'string') return rejectRequest(ctx, 400, range);
    ctx.body = { data: await getService(strapi, 'health').report(range) };
  },
});

export default createHealthController;
