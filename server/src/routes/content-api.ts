import { EVENT_ENDPOINTS } from './event-endpoints';

/**
 * Routes under /api/usage-analytics: the event endpoints (routes/event-endpoints.ts; served
 * before the router, which never sees their requests), the tracker script, Prometheus, and the
 * routes for frontends.
 */
const publicRoute = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler,
  config: { auth: false as const, policies: [] },
});

/**
 * A route with Strapi's Content API authentication: its action (`plugin::usage-analytics.<handler>`)
 * is granted to users-permissions roles in Settings → Users & Permissions and to custom API tokens.
 * The actions end in `find` / `findOne` on purpose: read-only API tokens may call those.
 */
const grantedRoute = (path: string, handler: `${string}.${'find' | 'findOne'}`) => ({
  method: 'GET',
  path,
  handler,
  config: { policies: [] },
});

export default {
  type: 'content-api',
  routes: [
    ...EVENT_ENDPOINTS.map((endpoint) => publicRoute('POST', endpoint.path, endpoint.handler)),
    publicRoute('GET', '/script.js', 'script.serve'),
    // Prometheus: public to the router, checked against the bearer token by the controller.
    publicRoute('GET', '/metrics', 'metrics.scrape'),
    grantedRoute('/popular', 'popular.find'),
    grantedRoute('/views/:contentType/:documentId', 'views.findOne'),
  ],
};
