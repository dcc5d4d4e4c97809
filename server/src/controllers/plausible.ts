import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { parsePlausiblePayload } from '../collection/plausible-payload';
import { readJsonBody } from '../collection/request-body';
import { visitorFromRequest } from '../collection/visitor-context';
import { plausibleSite } from '../collection/site-claim';
import { getService } from '../get-service';
import { refuseForeignSite } from './site-check';

/**
 * POST /api/usage-analytics/plausible/api/event — Plausible's Events API, answered as Plausible
 * does: 202 `ok`, with `x-plausible-dropped` when the event was not recorded, 400
 * `{ errors: { field: [message] } }` when it is invalid.
 */
const createPlausibleController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async event(ctx: Context) {
    const body = readJsonBody(ctx.request);
    if (!body.ok) {
      ctx.status = body.status;
      ctx.body = { errors: { request: [body.message] } };
      return;
    }
    const parsed = parsePlausiblePayload(body.value, Date.now());
    if (!parsed.ok) {
      ctx.status = 400;
      ctx.body = { errors: parsed.errors };
      return;
    }
    const foreign = refuseForeignSite(strapi, () => plausibleSite(body.value));
    if (foreign) {
      ctx.status = 403;
      ctx.body = { errors: { domain: [foreign] } };
      return;
    }
    const outcome = getService(strapi, 'collector').record(parsed.hit, visitorFromRequest(ctx), {
      rateLimit: true,
    });
    if (!outcome.recorded) ctx.set('x-plausible-dropped', '1');
    ctx.status = 202;
    ctx.type = 'text/plain';
    ctx.body = 'ok';
  },
});

export default createPlausibleController;
