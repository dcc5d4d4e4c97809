import { MAX_BODY_BYTES } from '../collection/request-body';

/**
 * The four public event endpoints under /api/usage-analytics. They are declared as Content API
 * routes (routes/content-api.ts, so the router lists them with the others) and served before
 * Strapi's router by middlewares/public-endpoints.ts, which reads this same list: a beacon needs
 * none of Strapi's body parser, session or logger. No authentication; every body is validated
 * strictly, capped in size (`bodyLimit` bytes) and rate-limited per anonymous visitor.
 */
export const EVENT_ENDPOINTS = [
  { path: '/track', handler: 'track.track', bodyLimit: MAX_BODY_BYTES },
  { path: '/plausible/api/event', handler: 'plausible.event', bodyLimit: MAX_BODY_BYTES },
  { path: '/umami/api/send', handler: 'umami.send', bodyLimit: MAX_BODY_BYTES },
  { path: '/umami/api/batch', handler: 'umami.batch', bodyLimit: MAX_BODY_BYTES * 8 },
] as const;
