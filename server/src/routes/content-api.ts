/**
 * Public tracking routes, served under /api/usage-analytics. They need no authentication: every
 * body is validated strictly, capped in size, and rate-limited per anonymous visitor.
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
    publicRoute('POST', '/track', 'track.track'),
    publicRoute('POST', '/plausible/api/event', 'plausible.event'),
    publicRoute('POST', '/umami/api/send', 'umami.send'),
    publicRoute('POST', '/umami/api/batch', 'umami.batch'),
  ],
};
