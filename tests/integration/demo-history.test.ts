import type { Knex } from 'knex';
import type { InsightsResponse } from '../../shared/contracts/insights';
import type { OverviewResponse } from '../../shared/contracts/stats';
import { adminSession, type AdminSession } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/strapi';

// The demo's history (tests/app/src/demo-history.ts) goes through the collector, the editorial
// pipeline and the rollup: every day of the period has traffic on the dashboard, the insights
// have something to say, and nothing was written to the aggregate tables but by the rollup.

const DAYS = 35;
const DAY_MS = 86_400_000;
const today = Date.now() - (Date.now() % DAY_MS);
const day = (back: number) => new Date(today - back * DAY_MS).toISOString().slice(0, 10);

describe('demo history', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  const get = (path: string) =>
    app.http().get(`/usage-analytics${path}`).set('Authorization', `Bearer ${admin.token}`);

  beforeAll(async () => {
    app = await bootApp({ env: { SEED_CONTENT: 'true', DEMO_HISTORY_DAYS: String(DAYS) } });
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
  });

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
    const days = new Set(
      publications.map((r) => new Date(Number(r.ts)).toISOString().slice(0, 10))
    );
    // Spread over the period, not all today (the content itself was created with collection paused).
    expect(days.size).toBeGreaterThan(10);
    const [{ n }] = await knex('ua_pending_batches').count({ n: '*' });
    expect(Number(n)).toBe(0);
  });
});
