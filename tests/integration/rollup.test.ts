import type { Knex } from 'knex';
import { insertRows } from '../../server/src/collection/row-writer';
import { BROWSER_UA, IPHONE_UA, flushPlugin, publishArticle } from '../helpers/content';
import { expectedContentDaily, expectedSiteDaily } from '../helpers/ground-truth';
import {
  numeric as num,
  rawEventRow,
  rawEvents,
  storedContentDaily as contentOf,
  storedSiteDaily as siteOf,
} from '../helpers/aggregates';
import { bootApp, type TestApp } from '../helpers/strapi';

const DAY = 86_400_000;

describe('rollups: exact, idempotent, by event time', () => {
  let app: TestApp;
  let knex: Knex;
  let articles: string[];
  const service = (name: string) => app.strapi.plugin('usage-analytics').service(name);

  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
    knex = app.strapi.db.connection as unknown as Knex;
    articles = [await publishArticle(app, 'Rolled one'), await publishArticle(app, 'Rolled two')];
  });
  afterAll(() => app?.stop());

  it('aggregates known traffic exactly, and a second run changes nothing', async () => {
    // 6 visitors: API reads and tracker visits with engagement and custom events.
    for (let v = 0; v < 6; v += 1) {
      const headers = {
        'x-forwarded-for': `203.0.113.${v + 1}`,
        'user-agent': v % 2 ? IPHONE_UA : BROWSER_UA,
      };
      const article = articles[v % 2];
      for (let r = 0; r <= v % 3; r += 1)
        await app.http().get(`/api/articles/${article}`).set(headers);
      await app.http().get('/api/articles').set(headers);
      const entry = { contentType: 'api::article.article', documentId: article, locale: 'en' };
      const track = (body: object) =>
        app
          .http()
          .post('/api/usage-analytics/track')
          .set({ ...headers, 'content-type': 'text/plain' })
          .send(JSON.stringify(body));
      await track({
        type: 'pageview',
        url: `https://site.example/p/${v}?utm_source=mail`,
        referrer: 'https://www.google.com/',
        ...entry,
      });
      if (v % 2 === 0)
        await track({
          type: 'engagement',
          url: `https://site.example/p/${v}`,
          engagedMs: 1000 * (v + 1),
          scrollDepth: 50,
          ...entry,
        });
      if (v === 3)
        await track({
          type: 'event',
          url: `https://site.example/p/${v}`,
          name: 'signup',
          props: { plan: 'pro' },
          ...entry,
        });
    }
    // Yesterday's events, written late (event time, not arrival time, decides their day).
    const yesterday = Date.now() - DAY;
    const base = rawEventRow({ ts: 0, kind: 'pageview' });
    await insertRows(knex, 'ua_events', [
      {
        ...base,
        ts: yesterday,
        kind: 'pageview',
        content_type: 'api::article.article',
        document_id: articles[0],
        visitor_hash: 'a'.repeat(32),
      },
      {
        ...base,
        ts: yesterday + 60_000,
        kind: 'pageview',
        content_type: 'api::article.article',
        document_id: articles[1],
        visitor_hash: 'a'.repeat(32),
      },
      {
        ...base,
        ts: yesterday + 3 * 3_600_000 > Date.now() ? yesterday + 1000 : yesterday + 3_600_000,
        kind: 'pageview',
        content_type: 'api::article.article',
        document_id: articles[0],
        visitor_hash: 'b'.repeat(32),
      },
    ]);
    await flushPlugin(app);

    expect((await service('rollup').dirtyDays()).length).toBeGreaterThanOrEqual(2);
    const result = await service('rollup').runOnce();
    expect(result?.days.length).toBeGreaterThanOrEqual(2);
    expect(await service('rollup').dirtyDays()).toEqual([]);

    const rows = await rawEvents(knex);
    expect(await siteOf(knex)).toEqual(expectedSiteDaily(rows));
    expect(await contentOf(knex)).toEqual(expectedContentDaily(rows));
    const today = new Date().toISOString().slice(0, 10);
    const site = (await siteOf(knex))[today];
    expect(site).toMatchObject({
      pageviews: 6,
      api_reads: 12,
      visitors: 6,
      events: 1,
      engaged_ms: 1000 + 3000 + 5000,
    });
    const lists = await knex('ua_list_reads_daily').where({ day: today });
    expect(lists.map(num)).toEqual([
      { day: today, content_type: 'api::article.article', count: 6 },
    ]);
    const signup = await knex('ua_event_daily').where({ day: today });
    expect(signup.map(num)).toEqual([{ day: today, event_name: 'signup', count: 1, visitors: 1 }]);
    const referrers = await knex('ua_dimension_daily').where({ day: today, dimension: 'referrer' });
    expect(referrers.map(num)).toEqual([
      { day: today, dimension: 'referrer', value: 'google.com', pageviews: 6, visitors: 6 },
    ]);
    const hourly = await knex('ua_site_hourly')
      .where({ day: today })
      .sum({ pageviews: 'pageviews', api_reads: 'api_reads' })
      .first();
    expect([Number(hourly?.pageviews), Number(hourly?.api_reads)]).toEqual([6, 12]);

    // Nothing new: a rerun does nothing; forcing a recompute gives the same numbers.
    const before = { site: await siteOf(knex), content: await contentOf(knex) };
    expect((await service('rollup').runOnce())?.days).toEqual([]);
    await knex('ua_dirty_days').insert([{ day: today, token: 'forced' }]);
    expect((await service('rollup').runOnce())?.days).toEqual([today]);
    expect({ site: await siteOf(knex), content: await contentOf(knex) }).toEqual(before);
  });

  it('counts a late event once, in its own day', async () => {
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const before = (await siteOf(knex))[yesterday];
    const base = rawEventRow({ ts: 0, kind: 'api_read', source: 'api', path: '/api/x' });
    await insertRows(knex, 'ua_events', [
      {
        ...base,
        ts: Date.parse(`${yesterday}T12:00:00Z`),
        kind: 'api_read',
        content_type: 'api::article.article',
        document_id: articles[1],
        visitor_hash: 'c'.repeat(32),
      },
    ]);
    await service('rollup').runOnce();
    await service('rollup').runOnce();
    const after = (await siteOf(knex))[yesterday];
    expect(after).toMatchObject({ api_reads: before.api_reads + 1, visitors: before.visitors + 1 });
    expect(await siteOf(knex)).toEqual(expectedSiteDaily(await rawEvents(knex)));
  });

  it('lets one instance at a time hold the rollup lease, and takes over an expired one', async () => {
    const lease = service('job-lease');
    const now = Date.now();
    await knex('ua_jobs')
      .where({ name: 'rollup' })
      .update({ lease_owner: 'other-instance', lease_expires_at: now + 60_000 });
    expect(await service('rollup').runOnce(now)).toBeNull();
    expect(await lease.acquire('rollup', 60_000, now)).toBe(false);
    expect(await lease.acquire('rollup', 60_000, now + 61_000)).toBe(true);
    await lease.release('rollup');
    expect(await service('rollup').runOnce()).not.toBeNull();
  });

  it('purges raw rows past rawDays and aggregates past aggregateDays, keeping the rest', async () => {
    const now = Date.now();
    const old = rawEventRow({
      ts: 0,
      kind: 'api_read',
      source: 'api',
      path: '/api/x',
      content_type: 'api::article.article',
      document_id: articles[0],
      visitor_hash: 'd'.repeat(32),
    });
    const rowsBefore = await knex('ua_events').count({ n: '*' }).first();
    await insertRows(
      knex,
      'ua_events',
      Array.from({ length: 12_000 }, (_, i) => ({ ...old, ts: now - 40 * DAY - i }))
    );
    await knex('ua_content_daily').insert({
      day: '2020-01-01',
      content_type: 'api::article.article',
      document_id: articles[0],
      locale: 'en',
      pageviews: 1,
      api_reads: 0,
      visitors: 1,
      engagements: 0,
      engaged_ms: 0,
      events: 0,
    });
    // The old day is marked dirty, but its raw rows are past retention: it must not be rebuilt.
    const ancientDay = new Date(now - 40 * DAY).toISOString().slice(0, 10);
    await service('rollup').runOnce(now);
    expect(await knex('ua_dirty_days').where({ day: ancientDay })).toEqual([]);
    const deleted = await service('retention').runOnce(now);
    expect(deleted).toMatchObject({ ua_events: 12_000, ua_content_daily: 1 });
    expect(await knex('ua_events').count({ n: '*' }).first()).toEqual(rowsBefore);
    expect(await knex('ua_content_daily').where({ day: '2020-01-01' })).toEqual([]);
  });
});
