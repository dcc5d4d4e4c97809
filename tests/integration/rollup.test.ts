import type { Knex } from 'knex';
import { insertRows } from '../../server/src/collection/row-writer';
import { compactDay } from '../../server/src/rollup/compaction';
import createJobLease from '../../server/src/services/job-lease';
import { BROWSER_UA, IPHONE_UA, flushPlugin, publishArticle } from '../helpers/content';
import { expectedContentDaily, expectedSiteDaily } from '../helpers/ground-truth';
import {
  insertContentRows,
  rawEventRow,
  rawEvents,
  storedSums,
  storedContentDaily as contentOf,
  storedSiteDaily as siteOf,
} from '../helpers/aggregates';
import { DB_CLIENT, bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS, HOUR_MS, isoDay } from '../../shared/time';

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
    // 06:00 UTC yesterday: all three rows fall on yesterday whatever the time of day now
    // (now − 24 h + 1 h is today after 23:00).
    const yesterday = Date.now() - (Date.now() % DAY_MS) - DAY_MS + 6 * HOUR_MS;
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
        ts: yesterday + HOUR_MS,
        kind: 'pageview',
        content_type: 'api::article.article',
        document_id: articles[0],
        visitor_hash: 'b'.repeat(32),
      },
    ]);
    await flushPlugin(app);

    const pending = await service('rollup').pending();
    expect(pending.rows).toBe((await rawEvents(knex)).length + (await knex('ua_editorial')).length);
    const result = await service('rollup').runOnce();
    expect(result?.days.length).toBeGreaterThanOrEqual(2);
    expect(result?.rows).toBe(pending.rows);
    expect(await service('rollup').pending()).toMatchObject({ rows: 0, from: null, to: null });

    const rows = await rawEvents(knex);
    expect(await siteOf(knex)).toEqual(expectedSiteDaily(rows));
    expect(await contentOf(knex)).toEqual(expectedContentDaily(rows));
    const today = isoDay(Date.now());
    const site = (await siteOf(knex))[today];
    expect(site).toMatchObject({
      pageviews: 6,
      api_reads: 12,
      visitors: 6,
      events: 1,
      engaged_ms: 1000 + 3000 + 5000,
    });
    const lists = await storedSums(
      knex,
      'ua_list_reads_daily',
      ['day', 'content_type'],
      ['count'],
      {
        day: today,
      }
    );
    expect(lists).toEqual([{ day: today, content_type: 'api::article.article', count: 6 }]);
    const signup = await storedSums(
      knex,
      'ua_event_daily',
      ['day', 'event_name'],
      ['count', 'visitors'],
      { day: today }
    );
    expect(signup).toEqual([{ day: today, event_name: 'signup', count: 1, visitors: 1 }]);
    const referrers = await storedSums(
      knex,
      'ua_dimension_daily',
      ['dimension', 'value'],
      ['pageviews', 'visitors'],
      { day: today, dimension: 'referrer' }
    );
    expect(referrers).toEqual([
      { dimension: 'referrer', value: 'google.com', pageviews: 6, visitors: 6 },
    ]);
    const hourly = await knex('ua_site_hourly')
      .where({ day: today })
      .sum({ pageviews: 'pageviews', api_reads: 'api_reads' })
      .first();
    expect([Number(hourly?.pageviews), Number(hourly?.api_reads)]).toEqual([6, 12]);

    // Nothing new: a rerun does nothing. Compacting today merges its partial rows into one row
    // per key and changes no figure (yesterday, a closed day, was compacted by the run itself).
    const before = { site: await siteOf(knex), content: await contentOf(knex) };
    expect(await service('rollup').runOnce()).toMatchObject({ days: [], rows: 0 });
    const yesterdayDay = isoDay(yesterday);
    const [{ n: yesterdayRows }] = await knex('ua_site_daily')
      .where({ day: yesterdayDay })
      .count({ n: '*' });
    expect(Number(yesterdayRows)).toBe(1);
    // In steps of two rows at most (a few keys per transaction), as a large day is compacted.
    await compactDay(knex, today, 2);
    expect({ site: await siteOf(knex), content: await contentOf(knex) }).toEqual(before);
    for (const table of ['ua_site_daily', 'ua_content_daily', 'ua_dimension_daily']) {
      const keysPerRow = await knex(table).where({ day: today }).select(knex.raw('COUNT(*) AS n'));
      const distinctKeys = await storedSums(
        knex,
        table,
        table === 'ua_site_daily'
          ? ['day']
          : table === 'ua_content_daily'
            ? ['entry_id']
            : ['dimension', 'value'],
        [],
        { day: today }
      );
      expect(Number(keysPerRow[0].n)).toBe(distinctKeys.length);
    }
  });

  it('never sees a batch before it commits, and counts it once after (commit order)', async () => {
    // SQLite has one writer at a time: a second open write transaction cannot exist there.
    if (DB_CLIENT === 'sqlite') return;
    const today = isoDay(Date.now());
    const before = (await siteOf(knex))[today];
    const row = rawEventRow({
      ts: Date.now(),
      kind: 'api_read',
      source: 'api',
      path: '/api/late-commit',
      content_type: 'api::article.article',
      document_id: articles[0],
      visitor_hash: 'e'.repeat(32),
    });
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const slowFlush = knex.transaction(async (trx) => {
      await insertRows(trx as unknown as Knex, 'ua_events', [row]);
      inserted();
      await committed;
    });
    await insertedSignal;
    try {
      // A flush that started earlier commits after a later one and after a rollup ran.
      await insertRows(knex, 'ua_events', [{ ...row, visitor_hash: 'f'.repeat(32) }]);
      await service('rollup').runOnce();
      expect((await siteOf(knex))[today]).toMatchObject({
        api_reads: before.api_reads + 1,
        visitors: before.visitors + 1,
      });
    } finally {
      commit();
      await slowFlush;
    }
    await service('rollup').runOnce();
    await service('rollup').runOnce();
    expect((await siteOf(knex))[today]).toMatchObject({
      api_reads: before.api_reads + 2,
      visitors: before.visitors + 2,
    });
    expect(await siteOf(knex)).toEqual(expectedSiteDaily(await rawEvents(knex)));
  });

  it('counts a late event once, in its own day', async () => {
    const yesterday = isoDay(Date.now() - DAY_MS);
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

  it('lets timers and requests run between the chunks of a long rollup', async () => {
    const row = rawEventRow({ ts: Date.now(), kind: 'pageview', path: '/chunked' });
    // Three flushes of 2 000 rows: three chunks on SQLite, whose statements hold the thread.
    for (const flush of [0, 1, 2]) {
      await insertRows(
        knex,
        'ua_events',
        Array.from({ length: 2_000 }, (_, i) => ({
          ...row,
          visitor_hash: `${flush}${i}`.padStart(32, 'c'),
        }))
      );
    }
    let rollupDone = false;
    let timerRanDuringRollup = false;
    setTimeout(() => (timerRanDuringRollup = !rollupDone), 0);
    const run = await service('rollup').runOnce();
    rollupDone = true;
    expect(run?.rows).toBeGreaterThanOrEqual(6_000);
    expect(timerRanDuringRollup).toBe(true);
    expect(await siteOf(knex)).toEqual(expectedSiteDaily(await rawEvents(knex)));
  });

  it('never runs two rollups of one process at once: the second waits, nothing is counted twice', async () => {
    const lease = service('job-lease');
    expect(await lease.acquire('rollup', 60_000)).toBe(true);
    // The same process asks again (a scheduled run outlasting the next tick, a run by hand).
    let second: boolean | undefined;
    const waiting = lease.acquire('rollup', 60_000).then((taken: boolean) => (second = taken));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second).toBeUndefined();
    await lease.release('rollup');
    await waiting;
    expect(second).toBe(true);
    await lease.release('rollup');

    const today = isoDay(Date.now());
    const before = (await siteOf(knex))[today];
    await insertRows(
      knex,
      'ua_events',
      ['1', '2', '3'].map((v) =>
        rawEventRow({
          ts: Date.now(),
          kind: 'api_read',
          source: 'api',
          path: '/api/x',
          content_type: 'api::article.article',
          document_id: articles[2],
          visitor_hash: v.repeat(32),
        })
      )
    );
    const runs = await Promise.all([service('rollup').runOnce(), service('rollup').runOnce()]);
    // At most one of them found the rows pending (the scheduled run may have taken them first).
    expect(runs.filter((r) => (r?.rows ?? 0) > 0).length).toBeLessThanOrEqual(1);
    expect((await siteOf(knex))[today]).toMatchObject({
      api_reads: (before?.api_reads ?? 0) + 3,
      visitors: (before?.visitors ?? 0) + 3,
    });
    expect(await siteOf(knex)).toEqual(expectedSiteDaily(await rawEvents(knex)));
  });

  it('gives the lease to one process even when two share an instanceId', async () => {
    // Two replicas configured with one instanceId: each process has its own lease service.
    const replicaA = createJobLease({ strapi: app.strapi });
    const replicaB = createJobLease({ strapi: app.strapi });
    // The app's own scheduled rollup must not take the lease in the middle of this: stopped, and
    // a run under way waited for (the app's lease service waits for its own holder).
    await service('scheduler').stop();
    if (await service('job-lease').acquire('rollup', 60_000)) {
      await service('job-lease').release('rollup');
    }
    const now = Date.now();
    await knex('ua_jobs').where({ name: 'rollup' }).update({ lease_owner: null });
    expect(await replicaA.acquire('rollup', 60_000, now)).toBe(true);
    expect(await replicaB.acquire('rollup', 60_000, now + 1)).toBe(false);
    expect(await service('job-lease').acquire('rollup', 60_000, now + 1)).toBe(false);
    expect(await replicaB.renew('rollup', 60_000, undefined, now + 2)).toBe(false);
    await replicaB.release('rollup');
    const row = await knex('ua_jobs').where({ name: 'rollup' }).first();
    // The owner names the instance (readable in the table), plus a per-process nonce.
    expect(row.lease_owner).toMatch(/#[0-9a-f]{8}$/);
    expect(row.lease_owner.startsWith(service('plugin-config').instanceId())).toBe(true);
    expect(await replicaA.renew('rollup', 60_000, undefined, now + 3)).toBe(true);
    await replicaA.release('rollup');
    expect(await replicaB.acquire('rollup', 60_000, now + 4)).toBe(true);
    await replicaB.release('rollup');
    service('scheduler').start();
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
      // Distinct visitors, so that the old day's remembered visitors span several batches too.
      Array.from({ length: 12_000 }, (_, i) => ({
        ...old,
        ts: now - 40 * DAY_MS - i,
        visitor_hash: i.toString(16).padStart(32, '0'),
      }))
    );
    await insertContentRows(knex, 'ua_content_daily', [
      {
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
      },
    ]);
    const ancientDay = isoDay(now - 40 * DAY_MS);
    await service('rollup').runOnce(now);
    // The old day was closed by the rollup itself: it no longer keeps its visitors' sessions.
    expect(await knex('ua_visitor_sessions').where('day', '<=', ancientDay)).toEqual([]);
    // A timer due at once runs while retention is still deleting: on SQLite every statement
    // blocks the thread, so the deletes must be short statements with turns of the loop between.
    let retentionDone = false;
    let timerRanDuringRetention = false;
    setTimeout(() => (timerRanDuringRetention = !retentionDone), 0);
    const deleted = await service('retention').runOnce(now);
    retentionDone = true;
    expect(timerRanDuringRetention).toBe(true);
    expect(deleted).toMatchObject({
      ua_events: 12_000,
      ua_content_daily: 1,
      ua_visitor_sessions: 0,
    });
    expect(await knex('ua_visitor_sessions').where({ day: ancientDay })).toEqual([]);
    expect(await knex('ua_events').count({ n: '*' }).first()).toEqual(rowsBefore);
    expect(await knex('ua_content_daily').where({ day: '2020-01-01' })).toEqual([]);
  });
});
