import type { Knex } from 'knex';
import { MIGRATIONS, PLUGIN_TABLES, RETIRED_TABLES } from '../../server/src/migrations';
import { insertRows } from '../../server/src/collection/row-writer';
import { eventRows, rawEventRow, storedSums } from '../helpers/aggregates';
import { describeTable } from '../helpers/schema';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS, MINUTE_MS, isoDay } from '../../shared/time';

const knexOf = (app: TestApp) => app.strapi.db.connection as unknown as Knex;

/**
 * Back to an install that stopped before migration `next` (by index): the plugin's tables, those
 * later migrations retired and the bookkeeping dropped, then the migrations before it applied
 * (their names returned).
 */
async function installUpTo(app: TestApp, next: number) {
  const knex = knexOf(app);
  const migrator = app.strapi.plugin('usage-analytics').service('migrator');
  for (const table of [
    ...PLUGIN_TABLES,
    ...RETIRED_TABLES,
    'ua_migrations',
    'ua_migrations_lock',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  const applied: string[] = await migrator.migrate(MIGRATIONS.slice(0, next));
  return { knex, migrator, applied };
}

async function snapshot(app: TestApp) {
  const tables: Record<string, Awaited<ReturnType<typeof describeTable>>> = {};
  for (const table of PLUGIN_TABLES) tables[table] = await describeTable(app, table);
  return tables;
}

describe('plugin tables and migrations', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('creates every table at first boot and changes nothing at the second', async () => {
    app = await bootApp();
    const first = await snapshot(app);
    for (const table of PLUGIN_TABLES) {
      expect(await knexOf(app).schema.hasTable(table)).toBe(true);
    }
    expect(first.ua_events.columns).toEqual(
      expect.arrayContaining(['ts', 'kind', 'entry_id', 'visitor_hash'])
    );
    expect(first.ua_events.columns).not.toContain('content_type');
    expect(first.ua_entries.columns).toEqual(['content_type', 'document_id', 'id', 'locale']);
    expect(first.ua_entries.indexes).toContain('ua_entries_key_uq');
    expect(first.ua_events.indexes).toEqual(
      expect.arrayContaining(['ua_events_ts_idx', 'ua_events_batch_idx', 'ua_events_visitor_idx'])
    );
    expect(first.ua_events.indexes).not.toContain('ua_events_entry_idx');
    // Unique visitors are counted from the raw rows: nothing else remembers them.
    expect(await knexOf(app).schema.hasTable('ua_uniques')).toBe(false);
    // Settings saved from the admin panel live in Strapi's plugin store.
    expect(await knexOf(app).schema.hasTable('ua_settings')).toBe(false);
    expect(first.ua_request_stats.indexes).toContain('ua_request_stats_minute_idx');
    const applied = await knexOf(app)('ua_migrations').select('name', 'migration_time');
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(
      app.logs.some((l) => /applied migrations: 001-raw-and-state-tables/.test(l.message))
    ).toBe(true);

    // Data written by the plugin must survive Strapi's own schema sync on the next boot.
    await knexOf(app)('ua_events').insert({
      ts: 1_700_000_000_000,
      kind: 'pageview',
      source: 'api',
    });
    await knexOf(app)('ua_jobs').insert({ name: 'probe', watermark: 42 });
    await app.stop();

    app = await bootApp({ keepDatabase: true });
    expect(await snapshot(app)).toEqual(first);
    const again = await knexOf(app)('ua_migrations').select('name', 'migration_time');
    expect(again).toEqual(applied);
    expect(app.logs.some((l) => /applied migrations/.test(l.message))).toBe(false);
    const events = await knexOf(app)('ua_events').select('ts', 'kind');
    expect(events.map((e) => ({ ts: Number(e.ts), kind: e.kind }))).toEqual([
      { ts: 1_700_000_000_000, kind: 'pageview' },
    ]);
    const job = await knexOf(app)('ua_jobs').where({ name: 'probe' }).first();
    expect(Number(job.watermark)).toBe(42);
  });

  it('applies only the new migration on upgrade', async () => {
    app = await bootApp();
    const migrator = app.strapi.plugin('usage-analytics').service('migrator');
    const upgrade = {
      name: '999-test-upgrade',
      async up(knex: Knex, schema: (k: Knex) => Knex.SchemaBuilder) {
        await schema(knex).alterTable('ua_salts', (t) => t.string('probe_column', 20).nullable());
      },
    };
    expect(await migrator.migrate([...MIGRATIONS, upgrade])).toEqual(['999-test-upgrade']);
    expect(await migrator.migrate([...MIGRATIONS, upgrade])).toEqual([]);
    expect((await describeTable(app, 'ua_salts')).columns).toContain('probe_column');
  });

  it('upgrading from 002 rebuilds the aggregates from the raw rows and keeps older days', async () => {
    app = await bootApp({ pluginConfig: { rollup: { cron: '0 0 1 1 *' } } });
    // Back to an install that stopped at 002.
    const { knex, migrator, applied } = await installUpTo(app, 2);
    expect(applied).toEqual(['001-raw-and-state-tables', '002-aggregate-tables']);
    const day = Date.parse('2026-11-20T10:00:00Z');
    const raw = (ts: number, visitor: string) => ({
      ts,
      kind: 'api_read',
      source: 'api',
      content_type: 'api::article.article',
      document_id: 'doc1',
      locale: 'en',
      visitor_hash: visitor.repeat(32),
    });
    await knex('ua_events').insert([raw(day, 'a'), raw(day + MINUTE_MS, 'a'), raw(day, 'b')]);
    await knex('ua_editorial').insert({
      ts: day,
      content_type: 'api::article.article',
      document_id: 'doc1',
      locale: 'en',
      action: 'publish',
    });
    // 002's aggregates: a day older than every raw row (kept) and a stale one for the raw day.
    const site = (d: string, pageviews: number) => ({
      day: d,
      pageviews,
      api_reads: 0,
      visitors: 1,
      sessions: 1,
      bounces: 0,
      engaged_ms: 0,
      events: 0,
    });
    await knex('ua_site_daily').insert([site('2026-10-01', 7), site('2026-11-20', 99)]);
    await knex('ua_dirty_days').insert({ day: '2026-11-20', token: 'x' });

    expect(await migrator.migrate()).toEqual(MIGRATIONS.slice(2).map((m) => m.name));
    expect(await knex.schema.hasTable('ua_dirty_days')).toBe(false);
    const pending = await app.strapi.plugin('usage-analytics').service('rollup').pending();
    expect(pending.rows).toBe(4);
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    const rows = await knex('ua_site_daily')
      .select('day', knex.raw('SUM(pageviews) AS pv'), knex.raw('SUM(api_reads) AS api'))
      .select(knex.raw('SUM(visitors) AS visitors'), knex.raw('SUM(sessions) AS sessions'))
      .groupBy('day')
      .orderBy('day');
    expect(
      rows.map((r) => [r.day, Number(r.pv), Number(r.api), Number(r.visitors), Number(r.sessions)])
    ).toEqual([
      ['2026-10-01', 7, 0, 1, 1],
      ['2026-11-20', 0, 3, 2, 2],
    ]);
    const editorial = await knex('ua_editorial_daily').select('day', 'action', 'count');
    expect(editorial.map((r) => [r.day, r.action, Number(r.count)])).toEqual([
      ['2026-11-20', 'publish', 1],
    ]);
  });
  it('upgrading to 007 closes the days rolled up before it, keeping their figures', async () => {
    app = await bootApp({ pluginConfig: { rollup: { cron: '0 0 1 1 *' } } });
    const before007 = MIGRATIONS.findIndex((m) => m.name === '007-closed-days');
    const { knex, migrator } = await installUpTo(app, before007);
    // An install of 006 that rolled up a day three days ago (its visitors still remembered).
    const day = isoDay(Date.now() - 3 * DAY_MS);
    await knex('ua_rollup_days').insert({ day, partials: 0, version: 1 });
    await knex('ua_uniques').insert(
      ['a', 'b'].map((v) => ({
        day,
        scope: 'site',
        bucket: 0,
        k1: '',
        k2: '',
        k3: '',
        visitor: v.repeat(32),
        chunk: 1,
      }))
    );
    await knex('ua_visitor_sessions').insert({
      day,
      visitor: 'a'.repeat(32),
      sessions: 1,
      bounces: 1,
    });
    const site = { day, pageviews: 3, api_reads: 0, visitors: 2, sessions: 2, bounces: 1 };
    await knex('ua_site_daily').insert({ ...site, engaged_ms: 0, events: 0 });

    expect(await migrator.migrate()).toEqual(MIGRATIONS.slice(before007).map((m) => m.name));
    const row = await knex('ua_rollup_days').where({ day }).first();
    expect(Number(row.closed)).toBe(0);
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    expect(Number((await knex('ua_rollup_days').where({ day }).first()).closed)).toBe(2);
    // 009 dropped the visitors 006 remembered; the day's figures stand.
    expect(await knex.schema.hasTable('ua_uniques')).toBe(false);
    expect(await knex('ua_visitor_sessions').where({ day })).toEqual([]);
    const [stored] = await knex('ua_site_daily')
      .where({ day })
      .select('day', 'pageviews', 'api_reads', 'visitors', 'sessions', 'bounces');
    expect({
      ...stored,
      pageviews: Number(stored.pageviews),
      api_reads: Number(stored.api_reads),
      visitors: Number(stored.visitors),
      sessions: Number(stored.sessions),
      bounces: Number(stored.bounces),
    }).toEqual(site);
  });

  it("upgrading to 010 and 011 cuts the open days' visitor hashes to 16 characters and recounts their sessions once", async () => {
    app = await bootApp({ pluginConfig: { rollup: { cron: '0 0 1 1 *' } } });
    const before010 = MIGRATIONS.findIndex((m) => m.name === '010-short-visitor-hashes');
    const { knex, migrator } = await installUpTo(app, before010);
    const now = Date.now();
    const old = now - 3 * DAY_MS;
    const long = 'ab'.repeat(16);
    const view = (ts: number, visitor: string) => ({
      ts,
      kind: 'pageview',
      source: 'tracker',
      path: '/a',
      visitor_hash: visitor,
      batch: 1,
      hits: 1,
    });
    await knex('ua_events').insert([view(old, long), view(now - MINUTE_MS, long)]);
    await knex('ua_visitor_sessions').insert({
      day: isoDay(now),
      visitor: long,
      sessions: 1,
      bounces: 1,
    });

    expect(await migrator.migrate()).toEqual(MIGRATIONS.slice(before010).map((m) => m.name));
    const hashes = await knex('ua_events').orderBy('ts').select('visitor_hash');
    expect(hashes.map((r) => r.visitor_hash)).toEqual([long, long.slice(0, 16)]);
    const sessions = await knex('ua_visitor_sessions').select('visitor');
    expect(sessions.map((r) => r.visitor)).toEqual([long.slice(0, 16)]);
    // The visitor's next event today carries the 16-character hash. Its earlier row counts as
    // rolled up (its batch is not pending), so the new one adds a pageview and no new visitor;
    // its session state from before 011 has no last hit, so the day is recounted from its rows:
    // one session of two views a minute apart, no longer a bounce.
    await knex('ua_events').insert({ ...view(now, long.slice(0, 16)), batch: 2 });
    await knex('ua_pending_batches').insert({ batch: 2, row_count: 1, min_ts: now, max_ts: now });
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    const [today] = await knex('ua_site_daily')
      .where({ day: isoDay(now) })
      .select(
        knex.raw('SUM(visitors) AS visitors'),
        knex.raw('SUM(pageviews) AS pageviews'),
        knex.raw('SUM(sessions) AS sessions'),
        knex.raw('SUM(bounces) AS bounces')
      );
    expect({
      visitors: Number(today.visitors),
      pageviews: Number(today.pageviews),
      sessions: Number(today.sessions),
      bounces: Number(today.bounces),
    }).toEqual({ visitors: 0, pageviews: 1, sessions: 0, bounces: -1 });
    const [state] = await knex('ua_visitor_sessions').select(
      'sessions',
      'bounces',
      'last_ts',
      'last_views',
      'last_interactions'
    );
    expect({
      sessions: Number(state.sessions),
      bounces: Number(state.bounces),
      last_ts: Number(state.last_ts),
      last_views: Number(state.last_views),
      last_interactions: Number(state.last_interactions),
    }).toEqual({ sessions: 1, bounces: 0, last_ts: now, last_views: 2, last_interactions: 0 });
  });

  it("upgrading to 012 moves the raw rows' entries to the dictionary, byte for byte", async () => {
    app = await bootApp({ pluginConfig: { rollup: { cron: '0 0 1 1 *' } } });
    const before012 = MIGRATIONS.findIndex((m) => m.name === '012-entry-dictionary');
    const { knex, migrator } = await installUpTo(app, before012);
    const day = Date.parse('2026-11-20T10:00:00Z');
    const ARTICLE = 'api::article.article';
    // Entries that differ only by case or a trailing space are different entries.
    const named: [string | null, string | null, string | null, string][] = [
      [ARTICLE, 'doc1', 'en', 'pageview'],
      [ARTICLE, 'doc1', 'en', 'pageview'],
      [ARTICLE, 'DOC1', null, 'api_read'],
      [ARTICLE, 'doc3 ', 'en', 'api_read'],
      [ARTICLE, null, null, 'list_read'],
      [null, null, 'fr', 'pageview'],
      [null, null, null, 'pageview'],
    ];
    await knex('ua_events').insert(
      named.map(([content_type, document_id, locale, kind], i) => ({
        ts: day + i,
        kind,
        source: 'tracker',
        content_type,
        document_id,
        locale,
        path: '/a',
        visitor_hash: String(i % 2).repeat(16),
        batch: 7,
        hits: 1,
      }))
    );
    await knex('ua_pending_batches').insert({
      batch: 7,
      row_count: named.length,
      min_ts: day,
      max_ts: day + named.length,
    });

    expect(await migrator.migrate()).toEqual(MIGRATIONS.slice(before012).map((m) => m.name));
    const columns = (await describeTable(app, 'ua_events')).columns;
    expect(columns).toContain('entry_id');
    expect(columns.filter((c) => ['content_type', 'document_id', 'locale'].includes(c))).toEqual(
      []
    );
    const entries = async () => Number((await knex('ua_entries').count({ n: '*' }))[0].n);
    expect(await entries()).toBe(5);
    const logical = async () =>
      (await eventRows(knex).orderBy('ts').select('content_type', 'document_id', 'locale')).map(
        (r: { content_type: string | null; document_id: string | null; locale: string | null }) => [
          r.content_type,
          r.document_id,
          r.locale,
        ]
      );
    expect(await logical()).toEqual(named.map(([ct, doc, locale]) => [ct, doc, locale]));

    // New rows naming a known entry take its id; a new entry is added once.
    await insertRows(knex, 'ua_events', [
      rawEventRow({ ts: day + 100, kind: 'pageview', content_type: ARTICLE, document_id: 'doc1' }),
      rawEventRow({ ts: day + 101, kind: 'pageview', content_type: ARTICLE, document_id: 'doc2' }),
      rawEventRow({ ts: day + 102, kind: 'pageview', content_type: ARTICLE, document_id: 'doc2' }),
    ]);
    expect(await entries()).toBe(6);
    expect((await logical()).slice(named.length)).toEqual([
      [ARTICLE, 'doc1', 'en'],
      [ARTICLE, 'doc2', 'en'],
      [ARTICLE, 'doc2', 'en'],
    ]);

    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    // The aggregates keep the entries' texts (MySQL compares those without case: no variants here).
    const content = async (where: Record<string, string>) =>
      storedSums(knex, 'ua_content_daily', ['locale'], ['pageviews', 'api_reads', 'visitors'], {
        content_type: ARTICLE,
        ...where,
      });
    expect(await content({ document_id: 'doc1', locale: 'en' })).toEqual([
      { locale: 'en', pageviews: 3, api_reads: 0, visitors: 3 },
    ]);
    expect(await content({ document_id: 'doc2' })).toEqual([
      { locale: 'en', pageviews: 2, api_reads: 0, visitors: 1 },
    ]);
    const lists = await storedSums(knex, 'ua_list_reads_daily', ['content_type'], ['count']);
    expect(lists).toEqual([{ content_type: ARTICLE, count: 1 }]);
  });

  it('upgrading to 014 keys the content aggregates by entry id, keeping every figure', async () => {
    app = await bootApp({ pluginConfig: { rollup: { cron: '0 0 1 1 *' } } });
    const before014 = MIGRATIONS.findIndex((m) => m.name === '014-content-aggregates-by-entry');
    const { knex, migrator } = await installUpTo(app, before014);
    const ARTICLE = 'api::article.article';
    // An entry the raw rows named already; the others only the aggregates still name.
    await knex('ua_entries').insert({ content_type: ARTICLE, document_id: 'doc1', locale: 'en' });
    const daily = (
      day: string,
      document_id: string,
      locale: string | null,
      pageviews: number,
      visitors: number
    ) => ({
      day,
      content_type: ARTICLE,
      document_id,
      locale,
      pageviews,
      api_reads: 1,
      visitors,
      engagements: 1,
      engaged_ms: 5_000_000_000,
      events: 2,
    });
    // Partial rows of one key (summed when read) and entries differing only by case.
    await knex('ua_content_daily').insert([
      daily('2026-11-20', 'doc1', 'en', 3, 2),
      daily('2026-11-20', 'doc1', 'en', 4, 1),
      daily('2026-11-20', 'DOC1', 'en', 5, 5),
      daily('2026-11-20', 'doc2', null, 6, 6),
      daily('2026-11-21', 'doc2', null, 7, 7),
    ]);
    const hour = Date.parse('2026-11-20T10:00:00Z');
    const hourly = (document_id: string, locale: string | null, views: number) => ({
      hour,
      day: '2026-11-20',
      content_type: ARTICLE,
      document_id,
      locale,
      views,
      visitors: 1,
    });
    await knex('ua_content_hourly').insert([
      hourly('doc1', 'en', 2),
      hourly('doc1', 'en', 3),
      hourly('doc3', 'fr', 4),
    ]);

    expect(await migrator.migrate()).toEqual(MIGRATIONS.slice(before014).map((m) => m.name));
    for (const table of ['ua_content_daily', 'ua_content_hourly']) {
      const { columns, indexes } = await describeTable(app, table);
      expect(columns).toContain('entry_id');
      expect(columns.filter((c) => ['content_type', 'document_id', 'locale'].includes(c))).toEqual(
        []
      );
      expect(indexes.filter((i) => i !== 'PRIMARY' && !/pkey/.test(i))).toEqual(
        table === 'ua_content_daily'
          ? [`${table}_day_idx`, `${table}_entry_idx`]
          : [`${table}_day_idx`]
      );
    }
    // doc1/en kept its id; DOC1, doc2 (no locale) and doc3/fr were added.
    const entries = await knex('ua_entries')
      .orderBy('id')
      .select('content_type', 'document_id', 'locale');
    expect(entries.map((e) => `${e.document_id}/${e.locale}`).sort()).toEqual(
      ['DOC1/en', 'doc1/en', 'doc2/', 'doc3/fr'].sort()
    );
    expect(entries[0]).toEqual({ content_type: ARTICLE, document_id: 'doc1', locale: 'en' });
    const fields = ['pageviews', 'api_reads', 'visitors', 'engagements', 'engaged_ms', 'events'];
    const keys = ['day', 'content_type', 'document_id', 'locale'];
    const sums = (pageviews: number, api_reads: number, visitors: number, n: number) => ({
      pageviews,
      api_reads,
      visitors,
      engagements: n,
      engaged_ms: n * 5_000_000_000,
      events: 2 * n,
    });
    const expected = [
      {
        day: '2026-11-20',
        content_type: ARTICLE,
        document_id: 'DOC1',
        locale: 'en',
        ...sums(5, 1, 5, 1),
      },
      {
        day: '2026-11-20',
        content_type: ARTICLE,
        document_id: 'doc1',
        locale: 'en',
        ...sums(7, 2, 3, 2),
      },
      {
        day: '2026-11-20',
        content_type: ARTICLE,
        document_id: 'doc2',
        locale: null,
        ...sums(6, 1, 6, 1),
      },
      {
        day: '2026-11-21',
        content_type: ARTICLE,
        document_id: 'doc2',
        locale: null,
        ...sums(7, 1, 7, 1),
      },
    ];
    const byKey = (rows: Record<string, unknown>[]) =>
      [...rows].sort((a, b) =>
        `${a.day}|${a.document_id}|${a.locale}` < `${b.day}|${b.document_id}|${b.locale}` ? -1 : 1
      );
    expect(byKey(await storedSums(knex, 'ua_content_daily', keys, fields))).toEqual(expected);
    // Rows of one key were merged.
    expect(Number((await knex('ua_content_daily').count({ n: '*' }))[0].n)).toBe(4);
    expect(
      byKey(
        await storedSums(
          knex,
          'ua_content_hourly',
          ['hour', 'day', 'document_id', 'locale'],
          ['views', 'visitors']
        )
      )
    ).toEqual([
      { hour, day: '2026-11-20', document_id: 'doc1', locale: 'en', views: 5, visitors: 2 },
      { hour, day: '2026-11-20', document_id: 'doc3', locale: 'fr', views: 4, visitors: 1 },
    ]);

    // The stats read the same figures, and a new pageview of doc1/en adds to its row.
    const stats = app.strapi.plugin('usage-analytics').service('stats');
    const range = {
      from: Date.parse('2026-11-20T00:00:00Z'),
      to: Date.parse('2026-11-22T00:00:00Z'),
      interval: 'day' as const,
      days: 2,
    };
    const table = async () =>
      (await stats.allContent(range, { contentType: ARTICLE })).map(
        (r: { documentId: string; locale: string | null; views: number; visitors: number }) =>
          `${r.documentId}/${r.locale}: ${r.views} views, ${r.visitors} visitors`
      );
    expect(await table()).toEqual([
      'doc2/null: 15 views, 13 visitors',
      'doc1/en: 9 views, 3 visitors',
      'DOC1/en: 6 views, 5 visitors',
    ]);
    await insertRows(knex, 'ua_events', [
      rawEventRow({ ts: hour + 1, kind: 'pageview', content_type: ARTICLE, document_id: 'doc1' }),
    ]);
    expect((await table())[1]).toBe('doc1/en: 10 views, 4 visitors');
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    expect((await table())[1]).toBe('doc1/en: 10 views, 4 visitors');
    expect(
      await storedSums(knex, 'ua_content_daily', ['document_id'], ['pageviews'], {
        day: '2026-11-20',
        document_id: 'doc1',
      })
    ).toEqual([{ document_id: 'doc1', pageviews: 8 }]);
  });
});
