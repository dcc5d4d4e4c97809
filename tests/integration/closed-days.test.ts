import type { Knex } from 'knex';
import { insertRows } from '../../server/src/collection/row-writer';
import type { EventRow } from '../../server/src/collection/event-row';
import { expectedContentDaily, expectedSiteDaily } from '../helpers/ground-truth';
import {
  rawEventRow,
  rawEvents,
  storedSums,
  storedContentDaily as contentOf,
  storedSiteDaily as siteOf,
} from '../helpers/aggregates';
import { adminSession, overviewAs, type AdminSession } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS, isoDay } from '../../shared/time';

describe('closed days: per-visitor sessions forgotten, late events counted exactly', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  const service = (name: string) => app.strapi.plugin('usage-analytics').service(name);
  // Three days ago: long closed by the clock, well inside retention.rawDays.
  const day = isoDay(Date.now() - 3 * DAY_MS);
  const at = (time: string) => Date.parse(`${day}T${time}:00Z`);
  const view = (ts: number, visitor: string, documentId: string, extra: Partial<EventRow> = {}) =>
    rawEventRow({
      ts,
      kind: 'pageview',
      content_type: 'api::article.article',
      document_id: documentId,
      path: `/p/${documentId}`,
      visitor_hash: visitor.repeat(32),
      ...extra,
    });
  const event = (ts: number, visitor: string) =>
    rawEventRow({ ts, kind: 'event', event_name: 'signup', visitor_hash: visitor.repeat(32) });
  const count = async (table: string, where: Record<string, unknown>) =>
    Number((await knex(table).where(where).count({ n: '*' }).first())?.n);
  /** What the overview of `day` shows, with the referrer and event rows. */
  const overview = async () => {
    const data = await overviewAs(app, admin, day, day);
    return {
      visitors: data.totals.visitors,
      sessions: data.totals.sessions,
      content: Object.fromEntries(data.topContent.map((r) => [r.documentId, r.visitors])),
      referrers: Object.fromEntries(data.topReferrers.map((r) => [r.value, r.visitors])),
      signup: data.events.find((e) => e.name === 'signup')?.visitors ?? 0,
    };
  };

  beforeAll(async () => {
    app = await bootApp();
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
  });
  afterAll(() => app?.stop());

  it("closes a rolled-up day: forgets its visitors' sessions, keeps its figures", async () => {
    await insertRows(knex, 'ua_events', [
      view(at('10:00'), 'a', 'story', { referrer_host: 'google.com' }),
      event(at('10:01'), 'a'),
      view(at('10:05'), 'b', 'story', { referrer_host: 'google.com' }),
      view(at('10:06'), 'b', 'other'),
      // Today, which stays open.
      view(Date.now(), 'a', 'story'),
    ]);
    await service('rollup').runOnce();

    expect(await count('ua_visitor_sessions', { day })).toBe(0);
    expect(Number((await knex('ua_rollup_days').where({ day }).first())?.closed)).toBe(2);
    expect(await count('ua_visitor_sessions', { day: isoDay(Date.now()) })).toBeGreaterThan(0);
    const rows = await rawEvents(knex);
    expect((await siteOf(knex))[day]).toEqual(expectedSiteDaily(rows)[day]);
    expect(await contentOf(knex)).toEqual(expectedContentDaily(rows));
    expect(await overview()).toEqual({
      visitors: 2,
      sessions: 2,
      content: { story: 2, other: 1 },
      referrers: { 'google.com': 2 },
      signup: 1,
    });
  });

  it('counts the visitors of a late batch on a closed day once, live and after its rollup', async () => {
    await insertRows(knex, 'ua_events', [
      // Known visitors on keys they were counted on, and on a new one.
      view(at('10:20'), 'a', 'other', { referrer_host: 'google.com' }),
      event(at('10:21'), 'a'),
      view(at('15:00'), 'b', 'story', { referrer_host: 'google.com' }),
      // A new visitor.
      view(at('11:00'), 'c', 'story', { referrer_host: 'bing.com' }),
    ]);
    const expected = {
      visitors: 3,
      // a: one session (10:00–10:21); b: 10:05–10:06 and 15:00; c: 11:00.
      sessions: 4,
      content: { story: 3, other: 2 },
      referrers: { 'google.com': 2, 'bing.com': 1 },
      signup: 1,
    };
    // The live tail, before the rollup.
    expect(await overview()).toEqual(expected);

    await service('rollup').runOnce();
    expect(await count('ua_visitor_sessions', { day })).toBe(0);
    const rows = await rawEvents(knex);
    expect((await siteOf(knex))[day]).toEqual(expectedSiteDaily(rows)[day]);
    expect(await contentOf(knex)).toEqual(expectedContentDaily(rows));
    expect(
      await storedSums(knex, 'ua_dimension_daily', ['value'], ['pageviews', 'visitors'], {
        day,
        dimension: 'referrer',
      })
    ).toEqual([
      { value: 'bing.com', pageviews: 1, visitors: 1 },
      { value: 'google.com', pageviews: 4, visitors: 2 },
    ]);
    expect(await storedSums(knex, 'ua_site_hourly', ['hour'], ['visitors'], { day })).toEqual([
      { hour: at('10:00'), visitors: 2 },
      { hour: at('11:00'), visitors: 1 },
      { hour: at('15:00'), visitors: 1 },
    ]);
    expect(await overview()).toEqual(expected);
    // Rolling up again changes nothing.
    await service('rollup').runOnce();
    expect(await overview()).toEqual(expected);
  });
});
