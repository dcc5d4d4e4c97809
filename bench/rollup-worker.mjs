// One database's part of `npm run bench:rollup` (started by bench/rollup.mjs, one process per
// database): boots the compiled test app in-process on a fresh database, fills it with synthetic
// data and times the plugin's own services — rollup.runOnce() and stats.overview().
// Usage: node bench/rollup-worker.mjs <sqlite|postgres> <result.json>; settings in
// BENCH_ROLLUP_SETTINGS (JSON).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DAY_MS,
  FLUSH_ROWS,
  HOUR_MS,
  bulkInserter,
  generateAggregates,
  generateEvents,
  makeEntries,
} from './lib/rollup-data.mjs';
import { APP_DIR, RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { measureStorage } from './lib/storage-phase.mjs';

const require = createRequire(import.meta.url);
const [, , database, outFile] = process.argv;
const settings = JSON.parse(process.env.BENCH_ROLLUP_SETTINGS ?? '{}');
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
// The scratch PostgreSQL database. Never `test`: the test suites drop it. Its own schema, reset on
// every run: `npm run bench`'s buffer-flush drops and recreates the plugin's tables in `public`.
// With TEST_DATABASE_NAME set (a shared machine), a database of that name's own.
const PG_DATABASE = process.env.TEST_DATABASE_NAME
  ? `${process.env.TEST_DATABASE_NAME}_bench`
  : 'bench';
const PG_SCHEMA = 'rollup_bench';
const UMAMI_SCHEMA = 'umami_bench';
const SQLITE_FILE = path.join(RESULTS_DIR, 'rollup.db');
const AGGREGATE_TABLES = [
  'ua_site_daily',
  'ua_site_hourly',
  'ua_content_daily',
  'ua_content_hourly',
  'ua_dimension_daily',
  'ua_event_daily',
  'ua_editorial_daily',
  'ua_list_reads_daily',
  // Month summaries of the daily tables (built from them by the rollup, below).
  'ua_content_monthly',
  'ua_dimension_monthly',
  'ua_month_summaries',
];

const started = Date.now();
const progress = (message) => {
  const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench:rollup ${database} ${elapsed}s] ${message}\n`);
};

async function prepareDatabase() {
  if (database === 'sqlite') {
    for (const suffix of ['', '-journal', '-wal', '-shm'])
      fs.rmSync(SQLITE_FILE + suffix, { force: true });
    return { DB_CLIENT: 'sqlite', DATABASE_FILENAME: SQLITE_FILE };
  }
  const { Client } = require('pg');
  const admin = new Client({ ...PG, database: 'postgres', connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    const { rows } = await admin.query('select 1 from pg_database where datname = $1', [
      PG_DATABASE,
    ]);
    if (!rows.length) await admin.query(`create database ${PG_DATABASE}`);
  } finally {
    await admin.end();
  }
  const bench = new Client({ ...PG, database: PG_DATABASE });
  await bench.connect();
  try {
    await bench.query(`drop schema if exists ${PG_SCHEMA} cascade`);
    await bench.query(`create schema ${PG_SCHEMA}`);
  } finally {
    await bench.end();
  }
  return { DB_CLIENT: 'postgres', DATABASE_NAME: PG_DATABASE, DATABASE_SCHEMA: PG_SCHEMA };
}

async function boot(dbEnv) {
  const { ensureAppEnv } = require(path.join(ROOT, 'scripts', 'app-env.cjs'));
  Object.assign(process.env, dbEnv, {
    ENV_PATH: ensureAppEnv(),
    LOG_LEVEL: 'warn',
    STRAPI_TELEMETRY_DISABLED: 'true',
    USAGE_ANALYTICS_ENABLED: 'true',
    // No scheduled rollup or retention during the measurements; raw rows kept long enough.
    USAGE_ANALYTICS_CONFIG: JSON.stringify({
      rollup: { cron: '0 0 1 1 *' },
      retention: { cron: '0 0 1 1 *', rawDays: Math.max(30, settings.days + 2) },
    }),
  });
  const { createStrapi } = require(require.resolve('@strapi/strapi', { paths: [APP_DIR] }));
  const strapi = createStrapi({
    appDir: APP_DIR,
    distDir: path.join(APP_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  await strapi.load();
  return strapi;
}

const time = async (fn) => {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
};

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p % of the values at or below it.
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * BENCH_ROLLUP_PROFILE=1: times every statement (knex's query events) and reports the total
 * time per statement shape (its first words, numbers and bound lists folded), largest first.
 */
function profileStatements(knex) {
  const open = new Map();
  let totals = new Map();
  const shape = (sql) =>
    sql
      .replace(/\s+/g, ' ')
      .replace(/\(\?(, \?)*\)/g, '(…)')
      .replace(/\$\d+(, \$\d+)*/g, '…')
      .slice(0, 110);
  knex.on('query', (q) => open.set(q.__knexQueryUid, performance.now()));
  const done = (_err, q) => {
    const t0 = open.get(q.__knexQueryUid);
    if (t0 === undefined) return;
    open.delete(q.__knexQueryUid);
    const key = shape(q.sql ?? '');
    const total = totals.get(key) ?? { ms: 0, n: 0 };
    total.ms += performance.now() - t0;
    total.n += 1;
    totals.set(key, total);
  };
  knex.on('query-response', (_r, q) => done(null, q));
  knex.on('query-error', (e, q) => done(e, q));
  return {
    reset: () => (totals = new Map()),
    report: () =>
      [...totals.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, 25)
        .map(
          ([sql, t]) =>
            `${(t.ms / 1000).toFixed(2).padStart(8)} s ${String(t.n).padStart(6)}×  ${sql}`
        )
        .join('\n'),
  };
}

async function main() {
  const dbEnv = await prepareDatabase();
  progress(`booting the test app (${dbEnv.DB_CLIENT})`);
  const strapi = await boot(dbEnv);
  const knex = strapi.db.connection;
  const rollup = strapi.plugin('usage-analytics').service('rollup');
  const stats = strapi.plugin('usage-analytics').service('stats');
  const bulk = bulkInserter(knex);
  const entries = makeEntries(settings.entries);
  const result = { database, settings, phases: {} };
  let seed = 1;

  let nextBatch = 2 ** 32;
  /**
   * Inserts `count` events over [start, end) in flush-sized batches and registers the batches as
   * pending, as the plugin's writer does.
   */
  const insertEvents = async (count, start, end, visitorsPerDay) => {
    const firstBatch = nextBatch;
    nextBatch += Math.ceil(count / FLUSH_ROWS) + 1;
    const { ms, result: generated } = await time(async () => {
      const made = await generateEvents(
        { count, start, end, visitorsPerDay, entries, seed: (seed += 1), firstBatch },
        (rows) => bulk.insertEvents(rows)
      );
      for (let i = 0; i < made.pending.length; i += 5000) {
        await bulk.insert(
          'ua_pending_batches',
          ['batch', 'row_count', 'min_ts', 'max_ts'],
          made.pending.slice(i, i + 5000)
        );
      }
      return made;
    });
    return { ...generated, ms, rowsPerSecond: count / (ms / 1000) };
  };
  const statements = settings.profile ? profileStatements(knex) : null;
  /**
   * Rolls up everything pending: runOnce() back to back, as the scheduled job would go on a
   * minute later (a run stops taking chunks after its time budget of a few minutes).
   */
  const runRollup = async () => {
    statements?.reset();
    const days = new Set();
    let chunks = 0;
    let runs = 0;
    const { ms } = await time(async () => {
      for (;;) {
        const run = await rollup.runOnce();
        if (!run) throw new Error('rollup.runOnce() returned null: the rollup lease was held');
        runs += 1;
        chunks += run.chunks;
        for (const day of run.days) days.add(day);
        if (!(await count('ua_pending_batches'))) break;
      }
    });
    if (statements) progress(`statements of this rollup:\n${statements.report()}`);
    return { ms, days: days.size, chunks, runs };
  };
  const analyze = async (tables) => {
    if (bulk.isPg) await knex.raw(`ANALYZE ${tables.map((t) => `"${t}"`).join(', ')}`);
  };
  const count = async (table, where = {}) =>
    Number((await knex(table).where(where).count({ c: '*' }))[0].c);

  try {
    // 0. Storage per pageview (PostgreSQL), beside Umami's tables; then the plugin's tables are
    // emptied for the phases below.
    if (bulk.isPg && settings.storageEvents > 0) {
      const { Client } = require('pg');
      result.phases.storage = await measureStorage({
        knex,
        bulk,
        pg: async () => {
          const client = new Client({ ...PG, database: PG_DATABASE });
          await client.connect();
          return client;
        },
        schema: PG_SCHEMA,
        umamiSchema: UMAMI_SCHEMA,
        entries,
        events: settings.storageEvents,
        runRollup,
        progress,
        firstBatch: nextBatch,
      });
      const st = result.phases.storage;
      progress(
        `storage: plugin ${Math.round(st.pluginBytesPerPageview)} B/pageview, Umami ` +
          `${Math.round(st.umamiBytesPerPageview)} B/pageview; ` +
          st.pluginTables
            .slice(0, 6)
            .map((t) => `${t.table} ${(t.bytes / 2 ** 20).toFixed(1)} MiB`)
            .join(', ')
      );
      nextBatch += 2 ** 24;
      const tables = (await knex('pg_tables').where({ schemaname: PG_SCHEMA }).select('tablename'))
        .map((r) => r.tablename)
        .filter(
          (t) =>
            /^ua_(events|editorial|pending_batches|visitor_sessions|rollup_days)$/.test(t) ||
            AGGREGATE_TABLES.includes(t)
        );
      await knex.raw(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')}`);
    }
    if (settings.storageOnly) return finish(strapi, result);

    const now = Date.now();
    const today = now - (now % DAY_MS);

    // 1. Full rollup of N events over D days (ending yesterday).
    const { events, days } = settings;
    const first = today - days * DAY_MS;
    const perDayVisitors = Math.max(
      1,
      Math.round(((events / days) * settings.visitorsPer100) / 100)
    );
    progress(`inserting ${events.toLocaleString('en-US')} events over ${days} days`);
    const loaded = await insertEvents(events, first, today, perDayVisitors);
    progress(
      `inserted in ${(loaded.ms / 1000).toFixed(1)} s (${Math.round(loaded.rowsPerSecond)} rows/s)`
    );
    // PostgreSQL's autovacuum would analyse a table after such a load; do it now, deterministically.
    await analyze(['ua_events', 'ua_pending_batches']);
    progress('full rollup');
    const full = await runRollup();
    const [site] = await knex('ua_site_daily').select(
      knex.raw('SUM(pageviews) AS pv'),
      knex.raw('SUM(api_reads) AS api'),
      knex.raw('SUM(visitors) AS visitors'),
      knex.raw('SUM(sessions) AS sessions')
    );
    if (Number(site.pv) !== loaded.kinds.pageview || Number(site.api) !== loaded.kinds.api_read) {
      throw new Error(
        `rollup totals differ from the generated events: pageviews ${site.pv} vs ${loaded.kinds.pageview}, ` +
          `api reads ${site.api} vs ${loaded.kinds.api_read}`
      );
    }
    result.phases.full = {
      events,
      days,
      kinds: loaded.kinds,
      insertSeconds: loaded.ms / 1000,
      insertRowsPerSecond: loaded.rowsPerSecond,
      rollupSeconds: full.ms / 1000,
      rolledDays: full.days,
      eventsPerSecond: events / (full.ms / 1000),
      visitorsPer100Events: (Number(site.visitors) / events) * 100,
      sessions: Number(site.sessions),
      contentDailyRows: await count('ua_content_daily'),
    };
    result.phases.full.chunks = full.chunks;
    result.phases.full.runs = full.runs;
    progress(
      `full rollup: ${(full.ms / 1000).toFixed(1)} s for ${full.days} days in ${full.chunks} chunks`
    );
    if (settings.fullOnly) return finish(strapi, result);

    // 2. Incremental: +10 000 events for today, with today already holding 0, small, large rows.
    const todayEnd = Math.max(now, today + 60_000);
    const todayVisitors = Math.round((settings.todayLarge * settings.visitorsPer100) / 100);
    const incremental = [];
    let todayRows = 0;
    for (const target of [0, settings.todaySmall, settings.todayLarge]) {
      if (target > todayRows) {
        progress(`today: topping up to ${target.toLocaleString('en-US')} raw rows`);
        await insertEvents(target - todayRows, today, todayEnd, todayVisitors);
        todayRows = target;
        await analyze(['ua_events']);
        const catchUp = await runRollup();
        incremental.push({ kind: 'catch-up', todayRows, ms: catchUp.ms });
      }
      const runs = [];
      for (let i = 0; i < settings.incrementalRuns; i += 1) {
        await insertEvents(settings.increment, today, todayEnd, todayVisitors);
        todayRows += settings.increment;
        const run = await runRollup();
        runs.push({ todayRows, ms: run.ms, days: run.days });
      }
      incremental.push({ kind: 'increment', before: target, runs });
      progress(
        `+${settings.increment} events, today ~${todayRows.toLocaleString('en-US')} rows: ` +
          runs.map((r) => `${Math.round(r.ms)} ms`).join(', ')
      );
    }
    result.phases.incremental = incremental;

    // 3. Overview latency on a year of aggregates × M entries — with the raw rows of the phases
    // above still present (rolled up) — then with a pending tail of new raw rows today.
    progress(
      `generating ${settings.aggregateDays} days × ${settings.aggregateEntries} entries of aggregates`
    );
    for (const table of AGGREGATE_TABLES) await knex(table).del();
    const firstAggregateDay = today - (settings.aggregateDays - 1) * DAY_MS;
    const generated = await time(() =>
      generateAggregates(
        {
          firstDay: firstAggregateDay,
          days: settings.aggregateDays,
          entryCount: settings.aggregateEntries,
          seed: 99,
        },
        (table, columns, rows) =>
          table === 'ua_content_daily'
            ? bulk.insertNamed(table, columns, rows)
            : bulk.insert(table, columns, rows)
      )
    );
    await analyze(AGGREGATE_TABLES);
    progress(
      `aggregates written in ${(generated.ms / 1000).toFixed(1)} s: ${JSON.stringify(generated.result)}`
    );
    // The months before this one get their summaries from the scheduled rollup, a few months a
    // run: the runs it takes, each timed.
    const summaryRuns = [];
    for (;;) {
      const { ms, result: run } = await time(() => rollup.runOnce());
      if (!run?.months.length) break;
      summaryRuns.push({ ms, months: run.months.length });
    }
    const summaries = {
      months: summaryRuns.reduce((sum, r) => sum + r.months, 0),
      runs: summaryRuns.length,
      seconds: summaryRuns.reduce((sum, r) => sum + r.ms, 0) / 1000,
      longestRunMs: Math.max(0, ...summaryRuns.map((r) => r.ms)),
    };
    progress(
      `month summaries: ${summaries.months} months in ${summaries.runs} rollup runs, ` +
        `${summaries.seconds.toFixed(1)} s (longest run ${Math.round(summaries.longestRunMs)} ms)`
    );
    const rawRows = await count('ua_events');
    const overview = {
      aggregateRows: generated.result,
      generateSeconds: generated.ms / 1000,
      summaries,
      cases: [],
    };
    for (const tail of [0, settings.increment]) {
      if (tail) {
        await insertEvents(tail, today, todayEnd, todayVisitors);
        // As autovacuum would after the rollups above (the rollup does it every 50 000 rows).
        await analyze(['ua_events', 'ua_pending_batches', 'ua_visitor_sessions']);
      }
      for (const rangeDays of [30, 365]) {
        const to = today + DAY_MS;
        const range = { from: to - rangeDays * DAY_MS, to, interval: 'day', days: rangeDays };
        // Cold: no stored results in memory (the first read after a restart, or after the rollup
        // added to days before today); each sample starts from an empty cache.
        const cold = [];
        statements?.reset();
        for (let i = 0; i < Math.min(5, settings.overviewRuns); i += 1) {
          stats.forgetCached();
          cold.push((await time(() => stats.overview(range, {}))).ms);
        }
        if (statements) {
          progress(`statements of the ${cold.length} cold calls:\n${statements.report()}`);
        }
        const samples = [];
        statements?.reset();
        const deadline = performance.now() + settings.overviewMaxSeconds * 1000;
        while (
          samples.length < settings.overviewRuns &&
          (samples.length < settings.overviewMinRuns || performance.now() < deadline)
        ) {
          const { ms, result: data } = await time(() => stats.overview(range, {}));
          if (!data.topContent.length) throw new Error('overview returned no top content');
          samples.push(ms);
        }
        // A late event on yesterday, rolled up (as after midnight): the parts of the range that
        // hold yesterday are read again, the rest comes from memory. Not with a pending tail,
        // which the rollup would take too.
        // With a pending tail: a flush of 20 events before each call (steady traffic), so every
        // call reads a new tail (the stored parts stay in memory).
        const flushed = [];
        for (let i = 0; tail && i < 5; i += 1) {
          await insertEvents(20, today, todayEnd, todayVisitors);
          flushed.push((await time(() => stats.overview(range, {}))).ms);
        }
        const late = [];
        for (let i = 0; !tail && i < 3; i += 1) {
          await insertEvents(1, today - DAY_MS, today - DAY_MS + HOUR_MS, 1);
          await runRollup();
          late.push((await time(() => stats.overview(range, {}))).ms);
        }
        const entry = {
          rangeDays,
          rawRows,
          pendingRows: tail,
          runs: samples.length,
          p50: percentile(samples, 50),
          p95: percentile(samples, 95),
          samples,
          coldRuns: cold.length,
          coldP50: percentile(cold, 50),
          coldSamples: cold,
          flushedRuns: flushed.length,
          flushedP50: flushed.length ? percentile(flushed, 50) : null,
          flushedSamples: flushed,
          lateRuns: late.length,
          lateP50: late.length ? percentile(late, 50) : null,
          lateSamples: late,
        };
        overview.cases.push(entry);
        if (statements) {
          progress(`statements of the ${samples.length} warm calls:\n${statements.report()}`);
        }
        progress(
          `overview ${rangeDays} d${tail ? ` + ${tail} pending` : ''}: cold p50 ` +
            `${Math.round(entry.coldP50)} ms; warm p50 ${Math.round(entry.p50)} ms, ` +
            `p95 ${Math.round(entry.p95)} ms (${samples.length} runs)` +
            (late.length ? `; after a late event p50 ${Math.round(entry.lateP50)} ms` : '') +
            (flushed.length ? `; after a flush p50 ${Math.round(entry.flushedP50)} ms` : '')
        );
      }
    }
    result.phases.overview = overview;
    return finish(strapi, result);
  } catch (error) {
    result.error = error.stack ?? String(error);
    await finish(strapi, result);
    throw error;
  }
}

async function finish(strapi, result) {
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
  await strapi.destroy();
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    process.stderr.write(`bench:rollup ${database} failed: ${error.stack ?? error}\n`);
    process.exit(1);
  });
