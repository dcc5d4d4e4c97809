/**
 * Public routes under /api/usage-analytics. The event endpoints (POST track, plausible/api/event,
 * umami/api/send, umami/api/batch) are served before Strapi's router by
 * middlewares/public-endpoints.ts; they need no authentication, and every body is validated
 * strictly, capped in size and rate-limited per anonymous visitor.
 */
const publicRoute = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler,
  config: { auth: false as const, policies: [] },
});

export default {
  type: 'content-api',
  routes: [
    publicRoute('GET', '/script.js', 'script.serve'),
    // Prometheus: public to the router, checked against the bearer token by the controller.
    publicRoute('GET', '/metrics', 'metrics.scrape'),
  ],
};
