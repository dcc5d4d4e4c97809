import { ROUTES } from './demo-health-routes';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time';

/**
 * What the demo site's Strapi went through, minute by minute: the requests it served (route
 * patterns, statuses, durations) and what its process looked like (CPU, memory, event loop). A
 * small blog read through the Content API, busiest in the afternoon (UTC) and on weekdays, edited
 * in office hours, backed up at night; released once a week (a restart); and three incidents with
 * server errors, one of them in the last 24 hours. Pure: the writer (demo-health-history.ts) hands
 * it to the plugin.
 */
const MB = 1024 * 1024;

/** How far back the history goes: the health page's longest period. */
export const HEALTH_HISTORY_DAYS = 30;

export interface DemoIncident {
  what: string;
  /**
   * When it started: `daysAgo` days before the history's last day at the UTC time `at[0]`
   * (minutes after midnight); with `daysAgo` 0, at the latest of the times `at` that ended half an
   * hour before the history does (so the last 24 hours always have one, in busy hours).
   */
  daysAgo: number;
  at: readonly number[];
  minutes: number;
  /** The routes that fail: those that read the database, or the article routes only. */
  affects: 'database' | 'articles';
  /** Share of the affected routes' requests answered with a 5xx. */
  errorShare: number;
  /** How much slower the affected routes' other requests are. */
  slowdown: number;
  /** Ends with a restart (a rollback): one minute without the process. */
  restart: boolean;
}

const hhmm = (hours: number, minutes: number) => hours * 60 + minutes;

export const INCIDENTS: readonly DemoIncident[] = [
  {
    what: 'database failover',
    daysAgo: 0,
    at: [hhmm(10, 20), hhmm(16, 40)],
    minutes: 14,
    affects: 'database',
    errorShare: 0.6,
    slowdown: 3,
    restart: false,
  },
  {
    what: 'a release that broke the article routes, rolled back',
    daysAgo: 4,
    at: [hhmm(13, 25)],
    minutes: 23,
    affects: 'articles',
    errorShare: 0.55,
    slowdown: 1.5,
    restart: true,
  },
  {
    what: 'database connections exhausted',
    daysAgo: 18,
    at: [hhmm(15, 40)],
    minutes: 10,
    affects: 'database',
    errorShare: 0.6,
    slowdown: 5,
    restart: false,
  },
];

/** Where an incident starts in a history that ends at `end`. */
function incidentStart(incident: DemoIncident, end: number): number {
  const today = end - (end % DAY_MS);
  if (incident.daysAgo > 0) return today - incident.daysAgo * DAY_MS + incident.at[0] * MINUTE_MS;
  const over = (incident.minutes + 30) * MINUTE_MS;
  const starts = [today - DAY_MS, today]
    .flatMap((day) => incident.at.map((at) => day + at * MINUTE_MS))
    .filter((start) => start + over <= end);
  return Math.max(...starts);
}

/** Weekly releases: days before the history ends, at 09:40 UTC; each is a restart. */
const RELEASE_DAYS_AGO = [2, 9, 16, 23, 30];
const RELEASE_MINUTE_OF_DAY = 9 * 60 + 40;

export interface DemoRequest {
  method: string;
  route: string;
  status: number;
  ms: number;
  at: number;
}

type Random = () => number;

function poisson(rnd: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rnd(); p > limit; p *= rnd()) k += 1;
  return k;
}

function normal(rnd: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The site's history up to `end` (a minute's start). */
export class DemoSite {
  readonly incidents: { incident: DemoIncident; from: number; to: number }[];
  /** Minutes the process was restarting: no requests, no samples, no heartbeat. */
  readonly restarts: number[];

  constructor(readonly end: number) {
    this.incidents = INCIDENTS.map((incident) => {
      const from = incidentStart(incident, end);
      return { incident, from, to: from + incident.minutes * MINUTE_MS };
    });
    const today = end - (end % DAY_MS);
    this.restarts = [
      ...RELEASE_DAYS_AGO.map((d) => today - d * DAY_MS + RELEASE_MINUTE_OF_DAY * MINUTE_MS),
      ...this.incidents.filter((i) => i.incident.restart).map((i) => i.to),
    ].sort((a, b) => a - b);
  }

  /** How busy the site is, 0–1: lowest at 03:00 UTC, highest at 15:00, quieter at weekends. */
  load(t: number): number {
    const hour = (t % DAY_MS) / HOUR_MS;
    const weekday = new Date(t).getUTCDay();
    const daily = 0.62 - 0.38 * Math.cos((2 * Math.PI * (hour - 3)) / 24);
    return daily * (weekday === 0 || weekday === 6 ? 0.6 : 1);
  }

  isRestart(minute: number): boolean {
    return this.restarts.includes(minute);
  }

  private incidentAt(t: number): DemoIncident | null {
    return this.incidents.find((i) => t >= i.from && t < i.to)?.incident ?? null;
  }

  /** When the process last started before `t`: after the restart before it, or a week earlier. */
  private startedAt(t: number): number {
    let started = this.restarts[0] - 7 * DAY_MS + MINUTE_MS;
    for (const r of this.restarts) if (r < t) started = r + MINUTE_MS;
    return Math.min(started, t);
  }

  /** The requests of the minute starting at `minute`. */
  requests(minute: number, rnd: Random): DemoRequest[] {
    if (this.isRestart(minute)) return [];
    const load = this.load(minute);
    const dayMinute = (minute % DAY_MS) / MINUTE_MS;
    const weekday = new Date(minute).getUTCDay();
    const office = weekday !== 0 && weekday !== 6 && dayMinute >= 8 * 60 && dayMinute < 18 * 60;
    const backup = dayMinute >= 2 * 60 && dayMinute < 2 * 60 + 20;
    const incident = this.incidentAt(minute);
    const out: DemoRequest[] = [];
    for (const r of ROUTES) {
      if (r.editors && !office) continue;
      const n = poisson(rnd, r.perMinute * (r.steady ? 1 : load));
      for (let i = 0; i < n; i += 1) {
        let ms = r.medianMs * Math.exp(r.spread * normal(rnd));
        if (r.database) ms *= 1 + 0.9 * load * load;
        if (r.database && backup) ms *= 2.5;
        // A garbage collection or a cold cache now and then.
        if (rnd() < 0.01) ms *= 2 + 6 * rnd();
        let status = r.clientErrors && rnd() < r.clientErrors ? (r.clientStatus ?? 400) : 200;
        const affected =
          incident && (incident.affects === 'database' ? r.database : r.articles) === true;
        if (affected) {
          if (rnd() < incident.errorShare) {
            status = rnd() < 0.7 ? 500 : 503;
            ms = 50 + 350 * rnd();
          } else {
            ms *= incident.slowdown;
          }
        } else if (r.database && rnd() < 1 / 40_000) {
          status = 500;
        }
        out.push({
          method: r.method,
          route: r.route,
          status,
          ms: Math.round(ms * 1000) / 1000,
          at: minute + Math.floor(rnd() * MINUTE_MS),
        });
      }
    }
    return out;
  }

  /**
   * The process's resources at `ts` (null while it restarts), as the plugin's sampler writes them:
   * a `ResourceSample` (server/src/monitoring/resource-sampler.ts), which demo-history.test.ts
   * checks this return type against (the test app cannot import the server's code).
   */
  sample(ts: number, rnd: Random) {
    if (this.isRestart(ts - (ts % MINUTE_MS))) return null;
    const load = this.load(ts);
    const incident = this.incidentAt(ts);
    const up = ts - this.startedAt(ts);
    // Memory grows slowly after each start and with the load.
    const rss =
      (255 + Math.min(45, (4 * up) / DAY_MS) + 12 * load + 2 * normal(rnd)) *
      MB *
      (incident ? 1.08 : 1);
    const inFlight = poisson(rnd, 0.08 + 0.25 * load + (incident ? 3 : 0));
    let loopP99 = 21 + 4 * load + Math.abs(normal(rnd));
    if (rnd() < 0.01) loopP99 += 5 + 20 * rnd();
    if (incident) loopP99 += 30 + 90 * rnd();
    // Its first minute: Strapi starts up, busy and blocking the event loop for seconds at a time.
    const starting = up < MINUTE_MS;
    if (starting) loopP99 += 1_500 + 2_000 * rnd();
    let cpu = 1 + 6 * load * (0.75 + 0.5 * rnd());
    if (incident) cpu += 12 + 8 * rnd();
    if (starting) cpu += 50 + 30 * rnd();
    const busy = Math.min(inFlight, 1);
    return {
      ts,
      cpu_pct: round2(cpu),
      rss: Math.round(rss),
      heap_used: Math.round(rss * (0.44 + 0.04 * rnd())),
      heap_total: Math.round(rss * 0.64),
      event_loop_p50_ms: round2(20.1 + 0.05 * rnd()),
      event_loop_p99_ms: round2(loopP99),
      in_flight: inFlight,
      uptime_s: Math.round(up / 1000),
      // The demo's SQLite pool: one connection.
      db_pool_used: busy,
      db_pool_free: 1 - busy,
      db_pool_pending: inFlight - busy,
    };
  }
}
