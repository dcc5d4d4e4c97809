import { randomBytes, randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { MAX_BODY_BYTES, readJsonBody } from '../collection/request-body';
import { parseUmamiPayload } from '../collection/umami-payload';
import { visitorFromRequest } from '../collection/visitor-context';
import { umamiSite } from '../collection/site-claim';
import { getService } from '../get-service';
import { refuseForeignSite } from './site-check';

const MAX_BATCH_ITEMS = 100;

type Answer = { status: number; body: Record<string, unknown> };

const badRequest = (message: string): Answer => ({
  status: 400,
  body: { error: { message: `Bad request: ${message}`, code: 'bad-request', status: 400 } },
});

// Opaque values in Umami's response shape: random each time, so they reveal and link nothing.
const accepted = (): Answer => ({
  status: 200,
  body: {
    cache: randomBytes(16).toString('base64url'),
    sessionId: randomUUID(),
    visitId: randomUUID(),
  },
});

/**
 * Umami's collection API under /api/usage-analytics/umami: `POST /api/send` with one
 * `{ type, payload }`, `POST /api/batch` with a list of them, answered as Umami answers.
 */
const createUmamiController = ({ strapi }: { strapi: Core.Strapi }) => {
  function handle(item: unknown, ctx: Context): Answer {
    const parsed = parseUmamiPayload(item, Date.now());
    if (!parsed.ok) return badRequest(parsed.message);
    if (!parsed.hit) return accepted();
    const foreign = refuseForeignSite(strapi, () => umamiSite(item));
    if (foreign) {
      return {
        status: 403,
        body: { error: { message: `Forbidden: ${foreign}`, code: 'forbidden', status: 403 } },
      };
    }
    const outcome = getService(strapi, 'collector').record(parsed.hit, visitorFromRequest(ctx), {
      rateLimit: true,
    });
    if (!outcome.recorded && outcome.reason === 'bot')
      return { status: 200, body: { beep: 'boop' } };
    if (
      !outcome.recorded &&
      (outcome.reason === 'rate_limited' || outcome.reason === 'address_limited')
    ) {
      return {
        status: 429,
        body: { error: { message: 'Too many requests', code: 'too-many-requests', status: 429 } },
      };
    }
    return accepted();
  }

  return {
    async send(ctx: Context) {
      ctx.set('Cache-Control', 'no-cache');
      const body = readJsonBody(ctx.request);
      const answer = body.ok
        ? handle(body.value, ctx)
        : { ...badRequest(body.message), status: body.status };
      ctx.status = answer.status;
      ctx.body = answer.body;
    },

    async batch(ctx: Context) {
      ctx.set('Cache-Control', 'no-cache');
      const body = readJsonBody(
        { length: ctx.request.length, body: ctx.request.body },
        MAX_BODY_BYTES * 8
      );
      if (!body.ok) {
        ctx.status = body.status;
        ctx.body = badRequest(body.message).body;
        return;
      }
      if (!Array.isArray(body.value) || body.value.length > MAX_BATCH_ITEMS) {
        const answer = badRequest(`the body must be a list of at most ${MAX_BATCH_ITEMS} events`);
        ctx.status = answer.status;
        ctx.body = answer.body;
        return;
      }
      const details: Array<{ index: number; response: Record<string, unknown> }> = [];
      let cache: unknown = null;
      body.value.forEach((item, index) => {
        const answer = handle(item, ctx);
        if (answer.status >= 400) details.push({ index, response: answer.body });
        else if (cache === null && typeof answer.body.cache === 'string') cache = answer.body.cache;
      });
      ctx.status = 200;
      ctx.body = {
        size: body.value.length,
        processed: body.value.length - details.length,
        errors: details.length,
        details,
        cache,
      };
    },
  };
};

export default createUmamiController;
