/**
 * The demo site's routes as its System health page sees them: how often each is called, how long
 * it takes, when, and what fails (see demo-health-model.ts).
 */
export interface RouteModel {
  method: string;
  route: string;
  /** Requests a minute at the busiest hour (at any hour if `steady`). */
  perMinute: number;
  /** Median duration at the quietest hour, ms, and the spread of the log-normal around it. */
  medianMs: number;
  spread: number;
  /** Reads the database (slower under load, at backup time and in a database incident). */
  database?: boolean;
  /** Serves articles (what the broken release broke). */
  articles?: boolean;
  /** Only while editors work (weekdays, 08:00–18:00 UTC). */
  editors?: boolean;
  /** Bots: as many at night as by day. */
  steady?: boolean;
  /** Share of requests that get `clientStatus` (4xx). */
  clientErrors?: number;
  clientStatus?: number;
}

// The route patterns Strapi's router reports for these requests.
export const ROUTES: readonly RouteModel[] = [
  { method: 'POST', route: '/api/usage-analytics/track', perMinute: 3, medianMs: 0.6, spread: 0.5 },
  {
    method: 'GET',
    route: '/api/articles/:id',
    perMinute: 2.5,
    medianMs: 7,
    spread: 0.5,
    database: true,
    articles: true,
    clientErrors: 0.02,
    clientStatus: 404,
  },
  {
    method: 'GET',
    route: '/api/articles',
    perMinute: 1,
    medianMs: 14,
    spread: 0.6,
    database: true,
    articles: true,
  },
  {
    method: 'GET',
    route: '/api/homepage',
    perMinute: 0.6,
    medianMs: 9,
    spread: 0.4,
    database: true,
  },
  {
    method: 'GET',
    route: '/api/pages/:id',
    perMinute: 0.4,
    medianMs: 8,
    spread: 0.4,
    database: true,
    clientErrors: 0.03,
    clientStatus: 404,
  },
  { method: 'GET', route: '(static)', perMinute: 1.2, medianMs: 2.5, spread: 0.7 },
  {
    method: 'GET',
    route: '(unmatched)',
    perMinute: 0.18,
    medianMs: 1.2,
    spread: 0.4,
    steady: true,
    clientErrors: 1,
    clientStatus: 404,
  },
  {
    method: 'GET',
    route: '/admin/:path*',
    perMinute: 0.25,
    medianMs: 4,
    spread: 0.6,
    editors: true,
  },
  {
    method: 'GET',
    route: '/content-manager/collection-types/:model',
    perMinute: 0.12,
    medianMs: 35,
    spread: 0.5,
    database: true,
    editors: true,
  },
  {
    method: 'PUT',
    route: '/content-manager/collection-types/:model/:id',
    perMinute: 0.04,
    medianMs: 70,
    spread: 0.5,
    database: true,
    editors: true,
  },
  {
    method: 'GET',
    route: '/usage-analytics/overview',
    perMinute: 0.05,
    medianMs: 110,
    spread: 0.55,
    database: true,
    editors: true,
  },
  { method: 'POST', route: '/upload', perMinute: 0.04, medianMs: 480, spread: 0.5, editors: true },
  {
    method: 'POST',
    route: '/admin/login',
    perMinute: 0.006,
    medianMs: 150,
    spread: 0.2,
    editors: true,
    clientErrors: 0.2,
    clientStatus: 401,
  },
];
