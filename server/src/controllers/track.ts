import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { DROPPED_HEADER } from '../../../shared/contracts/track';
import { readJsonBody } from '../collection/request-body';
import { parseTrackerPayload } from '../collection/tracker-payload';
import { visitorFromRequest } from '../collection/visitor-context';
import { getService } from '../get-service';
import { trackerSite } from '../collection/site-claim';
import { rejectRequest } from './respond';
import { refuseForeignSite } from './site-check';

/** POST /api/usage-analytics/track — events from the first-party tracker. */
const createTrackController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async track(ctx: Context) {
    const body = readJsonBody(ctx.request);
    if (!body.ok) return rejectRequest(ctx, body.status, body.message);
    const parsed = parseTrackerPayload(body.value, Date.now());
    if (!parsed.ok) return rejectRequest(ctx, 400, parsed.message);
    const { contentType } = parsed.hit;
    if (contentType && !strapi.contentTypes[contentType as keyof typeof strapi.contentTypes]) {
      return rejectRequest(ctx, 400, `contentType: no content type "${contentType}" in this app`);
    }
    const foreign = refuseForeignSite(strapi, () => trackerSite(body.value));
    if (foreign) return rejectRequest(ctx, 403, `url: ${foreign}`);
    const outcome = getService(strapi, 'collector').record(parsed.hit, visitorFromRequest(ctx), {
      rateLimit: true,
    });
    if (!outcome.recorded) {
      if (outcome.reason === 'rate_limited') {
        return rejectRequest(ctx, 429, 'too many events from this visitor; try again in a minute');
      }
      if (outcome.reason === 'address_limited') {
        return rejectRequest(ctx, 429, 'too many events from this address; try again in a minute');
      }
      ctx.set(DROPPED_HEADER, outcome.reason);
    }
    ctx.status = 202;
    ctx.body = {};
  },
});

export default createTrackController;
