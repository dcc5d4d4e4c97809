import type { Knex } from 'knex';
import pkg from '../../package.json';
import type { HealthResponse } from '../../shared/contracts/health';
import type { InsightsResponse } from '../../shared/contracts/insights';
import type { OverviewResponse } from '../../shared/contracts/stats';
import { adminSession, type AdminSession } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DemoSite } from '../app/src/demo-health-model';
import { seededRandom } from '../app/src/seeded-random';
import { ResourceSampler, type ResourceSample } from '../../server/src/monitoring/resource-sampler';
import { DAY_MS, HOUR_MS, MINUTE_MS, isoDay } from '../../shared/time';

// The demo's history (tests/app/src/demo-history.ts) goes through the collector, the editorial
// pipeline and the rollup: every day of the period has traffic on the dashboard, the insights
// have something to say, and nothing was written to the aggregate tables but by the rollup. Its
// monitoring history (tests/app/src/demo-health-history.ts) goes through the monitoring recorder
// and the monitoring rollup: the System health page shows a live site with its incidents.

const DAYS = 35;
const today = Date.now() - (Date.now() % DAY_MS);
const day = (back: number) => isoDay(today - back * DAY_MS);
const MB = 1024 * 1024;
type Health = HealthResponse['data'];

describe('demo history', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  // The monitoring history, up to where the instance's own monitoring began (as the demo logs it).
  let site: DemoSite;
  const get = (path: string) =>
    app.http().get(`/usage-analytics${path}`).set('Authorization', `Bearer ${admin.token}`);
  const health = async (query: Record<string, string> = {}): Promise<Health> => {
    const res = await get('/health').query(query);
    expect(res.status).toBe(200);
    return (res.body as HealthResponse).data;
  };
  const lastDays = (n: number, interval?: string) => {
    const to = Date.now();
    return {
      from: new Date(to - n * DAY_MS).toISOString(),
      to: new Date(to).toISOString(),
      ...(interval ? { interval } : {}),
    };
  };
  /** The hours whose error rate is over 2 % (a stray 5xx in a quiet hour is not). */
  const errorHours = (data: Health) =>
    data.throughput
      .filter((p) => p.requests > 0 && p.errors / p.requests > 0.02)
      .map((p) => Date.parse(p.t));
  /** Whether an incident overlaps the hour starting at `hour`. */
  const nearIncident = (hour: number) =>
    site.incidents.some(({ from, to }) => hour + HOUR_MS > from && hour < to);

  // Writing 35 days of traffic and 30 days of monitoring through the plugin takes a minute or two
  // on a busy machine.
  beforeAll(async () => {
    app = await bootApp({ env: { SEED_CONTENT: 'true', DEMO_HISTORY_DAYS: String(DAYS) } });
    const written = app.logs
      .map((l) => /\[demo\] wrote the monitoring history up to (\S+)/.exec(l.message))
      .find(Boolean);
    if (!written) throw new Error('the demo did not write its monitoring history');
    site = new DemoSite(Date.parse(written[1]));
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
  }, 360_000);

  afterAll(async () => {
    await app?.stop();
    delete process.env.SEED_CONTENT;
    delete process.env.DEMO_HISTORY_DAYS;
  });

  it('shows traffic on every day of the period, with a weekly rhythm', async () => {
    const res = await get(`/overview?from=${day(DAYS)}&to=${day(1)}`);
    expect(res.status).toBe(200);
    const data = (res.body as OverviewResponse).data;
    expect(data.series).toHaveLength(DAYS);
    const empty = data.series.filter((p) => p.pageviews === 0).map((p) => p.t);
    expect(empty).toEqual([]);
    expect(data.totals.visitors).toBeGreaterThan(DAYS * 40);
    const byWeekday = (weekend: boolean) => {
      const points = data.series.filter(
        (p) => [0, 6].includes(new Date(p.t).getUTCDay()) === weekend
      );
      return points.reduce((s, p) => s + p.pageviews, 0) / points.length;
    };
    // Weekends are quieter than weekdays.
    expect(byWeekday(true)).toBeLessThan(byWeekday(false) * 0.8);
    expect(data.topReferrers.map((r) => r.value)).toContain('www.google.com');
    expect(data.topCampaigns.length).toBeGreaterThan(0);
    expect(data.events.map((e) => e.name)).toContain('newsletter-signup');
    expect(data.devices.map((d) => d.value)).toEqual(expect.arrayContaining(['desktop', 'mobile']));
  });

  it('leaves the insights something to say', async () => {
    const res = await get('/insights');
    expect(res.status).toBe(200);
    const data = (res.body as InsightsResponse).data;
    // The two newest articles are unread; one article loses its readers, one takes off.
    expect(data.neverViewed.length).toBe(2);
    expect(data.decaying.length).toBeGreaterThan(0);
    expect(data.movers.gains.length).toBeGreaterThan(0);
  });

  it('records publications on their back-dated days and rolls everything up', async () => {
    const publications = await knex('ua_editorial').where({ action: 'publish' }).select('ts');
    const days = new Set(publications.map((r) => isoDay(Number(r.ts))));
    // Spread over the period, not all today (the content itself was created with collection paused).
    expect(days.size).toBeGreaterThan(10);
    const [{ n }] = await knex('ua_pending_batches').count({ n: '*' });
    expect(Number(n)).toBe(0);
  });

  it('shows the last 24 hours on the health page: traffic, latency and an incident', async () => {
    const data = await health();
    expect(data.interval).toBe('hour');
    // The current hour is partly the history's and partly the instance's own: left out.
    const hours = data.throughput.slice(0, -1);
    const latency = data.latency.slice(0, -1);
    expect(hours).toHaveLength(24);
    expect(hours.filter((p) => p.requests < 40).map((p) => p.t)).toEqual([]);
    for (const p of latency) {
      expect({ t: p.t, p50: p.p50 }).toEqual({ t: p.t, p50: expect.any(Number) });
      expect(p.p50!).toBeGreaterThan(1);
      expect(p.p50!).toBeLessThan(30);
      expect(p.p95!).toBeGreaterThan(p.p50!);
      expect(p.p99!).toBeGreaterThanOrEqual(p.p95!);
    }
    // Busier afternoons are slower: away from the incident, the slowest hour's p95 is well above
    // the fastest's.
    const p95s = latency.filter((p) => !nearIncident(Date.parse(p.t))).map((p) => p.p95!);
    expect(Math.max(...p95s)).toBeGreaterThan(1.5 * Math.min(...p95s));
    // The database failover of the last day, and no other hour with more than 2 % errors.
    const burst = errorHours(data);
    expect(burst.length).toBeGreaterThan(0);
    expect(burst.filter((h) => !nearIncident(h)).map((h) => new Date(h).toISOString())).toEqual([]);
    expect(data.errorRate).toBeGreaterThan(0.001);
    expect(data.errorRate).toBeLessThan(0.02);
    expect(data.totals.clientErrors).toBeGreaterThan(0);
    expect(data.uptime.requestSli).toBeGreaterThan(98);
    expect(data.uptime.requestSli).toBeLessThan(100);
  });

  it('shows the instance with its CPU, memory and event loop, and its uptime', async () => {
    const id = app.strapi.plugin('usage-analytics').service('plugin-config').instanceId();
    const data = await health();
    expect(data.instances).toEqual([{ id, lastSeen: expect.any(String), version: pkg.version }]);
    const points = data.resources.filter((r) => r.instance === id).slice(0, -2);
    expect(points.length).toBeGreaterThanOrEqual(23);
    for (const r of points) {
      expect(r.cpu).toBeGreaterThan(0.5);
      expect(r.cpu).toBeLessThan(40);
      expect(r.rss / MB).toBeGreaterThan(240);
      expect(r.rss / MB).toBeLessThan(340);
      expect(r.heapUsed).toBeLessThan(r.heapTotal);
      expect(r.eventLoopP99).toBeGreaterThan(20);
    }
    // Every minute of the last day had a heartbeat; the last week had two restarts.
    expect(data.uptime.availability).toBeGreaterThanOrEqual(99.9);
    const week = await health(lastDays(7));
    expect(week.uptime.minutes - week.uptime.healthyMinutes).toBeGreaterThanOrEqual(2);
    expect(week.uptime.minutes - week.uptime.healthyMinutes).toBeLessThanOrEqual(3);
    expect(week.uptime.availability).toBeGreaterThan(99.95);
    expect(week.uptime.errorBudgetRemaining).toBeGreaterThan(0);
    expect(week.uptime.errorBudgetRemaining).toBeLessThan(100);
  });

  it("writes its resource samples as the plugin's sampler does", () => {
    // Typed as the sampler's rows: a demo sample of another shape does not compile (the test app
    // cannot import the server's type itself).
    let sample: ResourceSample | null = null;
    const rnd = seededRandom(1);
    for (let t = Date.now(); !sample; t -= MINUTE_MS) sample = site.sample(t, rnd);
    const sampler = new ResourceSampler().sample(0, null);
    expect(Object.keys(sample).sort()).toEqual(Object.keys(sampler).sort());
  });

  it('names the slow routes of the week', async () => {
    const data = await health(lastDays(7));
    // (The test's own admin requests may be among them too.)
    const routes = data.slowestRoutes.map((r) => `${r.method} ${r.route}`);
    expect(routes.slice(0, 3)).toContain('POST /upload');
    const p95 = (route: string) => data.slowestRoutes.find((r) => r.route === route)?.p95;
    expect(p95('/upload')).toBeGreaterThan(500);
    expect(p95('/usage-analytics/overview')).toBeGreaterThan(150);
  });

  it('rolls 30 days up by hour and by day, each incident in its hours', async () => {
    const hourly = await health(lastDays(30, 'hour'));
    const hours = hourly.throughput.slice(1, -1);
    expect(hours.filter((p) => p.requests === 0).map((p) => p.t)).toEqual([]);
    // The rollup made these: before its watermark the API reads only the hourly table.
    const watermark = await app.strapi
      .plugin('usage-analytics')
      .service('monitoring-rollup')
      .watermark();
    expect(watermark).toBeGreaterThan(Date.parse(hourly.from) + 29 * DAY_MS);
    const [{ n }] = await knex('ua_request_stats_hourly').countDistinct({ n: 'hour' });
    expect(Number(n)).toBeGreaterThanOrEqual(30 * 24);
    const burst = errorHours(hourly);
    expect(burst.filter((h) => !nearIncident(h)).map((h) => new Date(h).toISOString())).toEqual([]);
    for (const { incident, from, to } of site.incidents) {
      const hit = burst.some((h) => h + HOUR_MS > from && h < to);
      expect({ incident: incident.what, hit }).toEqual({ incident: incident.what, hit: true });
    }

    const daily = await health(lastDays(30));
    expect(daily.interval).toBe('day');
    expect(daily.throughput.filter((p) => p.requests === 0).map((p) => p.t)).toEqual([]);
    expect(daily.latency.filter((p) => p.p95 === null).map((p) => p.t)).toEqual([]);
    expect(daily.totals.requests).toBeGreaterThan(30 * 4_000);
  });
});
