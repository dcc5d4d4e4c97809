// (c) Writing buffered events to the database: rows/s through the plugin's EventBuffer (with its
// row writer, insertRows, at the plugin's default flush settings and batch sizes) ÷ rows/s of plain knex multi-row
// INSERTs of the same rows, on SQLite and PostgreSQL. The table is created by the plugin's own
// migrations, compiled from source (the plugin build bundles them).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { compileSources } from './lib/build.mjs';
import { RESULTS_DIR } from './lib/paths.mjs';
import { shortMessage } from './lib/short-message.mjs';
import { median, ratioSummary } from './lib/stats.mjs';
import { ratioRow, unavailableRow, valueRow } from './lib/table.mjs';

const require = createRequire(import.meta.url);
const knexFactory = require('knex');

const BENCHMARK = 'buffer-flush';
const TABLE = 'ua_events';
const SOURCES = {
  buffer: 'server/src/collection/event-buffer.ts',
  writer: 'server/src/collection/row-writer.ts',
  entries: 'server/src/collection/entry-ids.ts',
  migrations: 'server/src/migrations/index.ts',
  defaults: 'server/src/config/defaults.ts',
};
// The scratch PostgreSQL database. Never `test`: the test suites drop it.
const PG_DATABASE = 'bench';
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
// knex writes a multi-row INSERT on SQLite as INSERT … SELECT … UNION ALL SELECT …, and SQLite
// allows at most 500 terms in a compound SELECT: plain INSERTs there carry at most 500 rows.
const STATEMENT_ROWS = { sqlite: 500, postgres: Infinity };
/** No flush may hold the event loop longer (issue goal 1). */
const STALL_GOAL = { op: '<=', target: 20, text: '20 ms' };

/**
 * Loads the plugin's buffer, writer, migrations and default flush settings (with `flushOverride`
 * over them), or says why it cannot.
 */
function loadPluginCode(flushOverride) {
  let compiled;
  try {
    compiled = compileSources(Object.values(SOURCES));
  } catch (error) {
    return { reason: `compile error: ${error.message}` };
  }
  const required = [SOURCES.buffer, SOURCES.writer, SOURCES.entries, SOURCES.migrations];
  const missing = compiled.missing.filter((file) => required.includes(file));
  if (missing.length) {
    return { reason: `missing ${missing.map((f) => path.basename(f)).join(', ')}` };
  }
  try {
    const { EventBuffer } = compiled.load(SOURCES.buffer);
    const { insertRows, writeTime } = compiled.load(SOURCES.writer);
    const { withEntryIds, forgetEntryIds } = compiled.load(SOURCES.entries);
    const { MIGRATIONS, PLUGIN_TABLES, RETIRED_TABLES } = compiled.load(SOURCES.migrations);
    if (typeof EventBuffer !== 'function') {
      return { reason: 'event-buffer.ts exports no EventBuffer' };
    }
    if (typeof insertRows !== 'function') {
      return { reason: 'row-writer.ts exports no insertRows' };
    }
    const defaults = compiled.missing.includes(SOURCES.defaults)
      ? undefined
      : compiled.load(SOURCES.defaults).DEFAULT_CONFIG;
    const flush = { intervalMs: 1000, maxBatch: 1000, ...defaults?.flush, ...flushOverride };
    return {
      EventBuffer,
      insertRows,
      writeTime,
      withEntryIds,
      forgetEntryIds,
      MIGRATIONS,
      PLUGIN_TABLES,
      RETIRED_TABLES,
      flush,
    };
  } catch (error) {
    return { reason: `load error: ${error.message}` };
  }
}

async function connectSqlite() {
  const filename = path.join(RESULTS_DIR, 'buffer-flush.db');
  for (const suffix of ['', '-journal', '-wal', '-shm']) {
    fs.rmSync(filename + suffix, { force: true });
  }
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  await knex.raw('select 1');
  return knex;
}

async function connectPostgres() {
  const admin = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
    pool: { min: 0, max: 1 },
  });
  try {
    const { rows } = await admin.raw('select 1 from pg_database where datname = ?', [PG_DATABASE]);
    if (!rows.length) await admin.raw(`create database ${PG_DATABASE}`);
  } finally {
    await admin.destroy();
  }
  return knexFactory({
    client: 'pg',
    connection: { ...PG, database: PG_DATABASE },
    pool: { min: 0, max: 4 },
  });
}

async function resetSchema(knex, code) {
  for (const table of [...code.PLUGIN_TABLES, ...code.RETIRED_TABLES].reverse()) {
    await knex.schema.dropTableIfExists(table);
  }
  for (const migration of code.MIGRATIONS) await migration.up(knex, (k) => k.schema);
  // The writer's remembered entry ids belonged to the dropped dictionary.
  code.forgetEntryIds(knex);
}

/**
 * `n` ua_events rows shaped like tracker pageviews, with exactly the table's columns, the entry
 * named by its content type, document id and locale (the writer stores the entry's id).
 */
function makeRows(n, columns) {
  const start = Date.now() - n * 10;
  const hex = (i) => (i * 2654435761).toString(16).padStart(8, '0').slice(-8).repeat(4);
  const rows = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const full = {
      ts: start + i * 10,
      kind: 'pageview',
      source: 'tracker',
      content_type: 'api::article.article',
      document_id: `doc${String(i % 12).padStart(21, '0')}`,
      locale: 'en',
      path: `/blog/post-${i % 500}`,
      referrer_host: i % 4 ? 'www.google.com' : null,
      utm_source: i % 3 ? null : 'news',
      device: i % 5 ? 'desktop' : 'mobile',
      browser: 'Chrome',
      os: i % 5 ? 'Windows' : 'Android',
      visitor_hash: hex(i % 5000),
      session_id: hex((i % 5000) + 7),
      hits: 1,
    };
    rows[i] = Object.fromEntries(columns.map((c) => [c, full[c] ?? null]));
  }
  return rows;
}

async function plainInsert(knex, rows, perStatement) {
  for (let i = 0; i < rows.length; i += perStatement) {
    await knex(TABLE).insert(rows.slice(i, i + perStatement));
  }
  return [];
}

/**
 * Watches this process's event loop until `stop()`: the largest delay, and the most CPU time used
 * between two 5 ms ticks (what blocked the loop, not counting time the process was descheduled).
 */
function watchLoop() {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let busyMaxMs = 0;
  let last = process.cpuUsage();
  const tick = () => {
    const now = process.cpuUsage();
    busyMaxMs = Math.max(busyMaxMs, (now.user + now.system - last.user - last.system) / 1000);
    last = now;
  };
  const timer = setInterval(tick, 5);
  return () => {
    tick(); // a flush that never let the timer run is one block
    clearInterval(timer);
    delay.disable();
    return { maxDelayMs: delay.max / 1e6, busyMaxMs };
  };
}

/**
 * An EventBuffer as the plugin sets one up (its flush settings and, where it sizes them so,
 * batches sized to time) writing with the plugin's row writer; `onWrite(ms)` hears each write's
 * duration.
 */
function pluginBuffer(knex, code, { name, maxEvents, log, onWrite = () => {} }) {
  return new code.EventBuffer({
    name,
    maxEvents,
    maxBatch: code.flush.maxBatch,
    intervalMs: code.flush.intervalMs,
    batchTime: code.writeTime?.(knex),
    write: async (batch) => {
      const started = performance.now();
      await code.insertRows(knex, TABLE, batch);
      onWrite(performance.now() - started);
    },
    log,
  });
}

/**
 * Pushes every row into an EventBuffer and waits until it has written them; returns its log and
 * how long the flush blocked the event loop at most (the pushes themselves are not watched). That
 * block also holds this process's garbage collection of the whole backlog (hundreds of MB: pauses
 * of 20–60 ms), which a server flushing a second's events does not have: `steadyFlush` measures
 * that case.
 */
async function bufferedInsert(knex, rows, code) {
  const logged = [];
  const log = { warn: (m) => logged.push(m), error: (m) => logged.push(m) };
  const buffer = pluginBuffer(knex, code, { name: 'bench', maxEvents: rows.length, log });
  buffer.start?.();
  let refusedAtPush = 0;
  for (const row of rows) if (!buffer.push(row)) refusedAtPush += 1;
  const stopWatching = watchLoop();
  await buffer.flush();
  await buffer.stop();
  const loop = stopWatching();
  const { dropped = 0, rejected = 0 } = buffer.stats?.() ?? {};
  const lost = Math.max(refusedAtPush, dropped) + rejected;
  if (lost) {
    const first = logged.length ? `; ${shortMessage(logged[0])}` : '';
    throw new Error(`EventBuffer lost ${lost} of ${rows.length} rows${first}`);
  }
  return { logged: logged.map((line) => shortMessage(line)), loop };
}

/**
 * A server's steady state: `flushes` times, one flush interval's worth of events at the rate that
 * fills a batch (`maxBatch` rows) pushed and written, on the table as the pairs left it, with
 * nothing else on the heap. Returns the longest single write (on SQLite how long it holds the
 * thread, from its first statement to its commit) and the longest event-loop block, CPU.
 */
async function steadyFlush(knex, code, columns, flushes = 30) {
  let longestWriteMs = 0;
  const buffer = pluginBuffer(knex, code, {
    name: 'bench steady',
    maxEvents: 2 * code.flush.maxBatch,
    log: { warn: () => {}, error: () => {} },
    onWrite: (ms) => {
      longestWriteMs = Math.max(longestWriteMs, ms);
    },
  });
  const stopWatching = watchLoop();
  for (let i = 0; i < flushes; i += 1) {
    for (const row of makeRows(code.flush.maxBatch, columns)) buffer.push(row);
    await buffer.flush();
  }
  await buffer.stop();
  const { busyMaxMs } = stopWatching();
  return { longestWriteMs, busyMaxMs };
}

/**
 * One timed run on a fresh table. Returns rows/s and what the buffer logged (write failures it
 * recovered from); throws when rows are missing afterwards.
 */
async function timedRun(db, code, rows, variant) {
  const { knex } = db;
  await resetSchema(knex, code);
  // Plain INSERTs get rows as stored, their entries' ids looked up before the clock starts.
  const stored = variant === 'plain' ? await code.withEntryIds(knex, rows) : null;
  const started = performance.now();
  const { logged, loop } =
    variant === 'plain'
      ? { logged: await plainInsert(knex, stored, db.plainStatementRows), loop: null }
      : await bufferedInsert(knex, rows, code);
  const seconds = (performance.now() - started) / 1000;
  const [{ count }] = await knex(TABLE).count({ count: '*' });
  if (Number(count) !== rows.length) {
    throw new Error(`${variant} wrote ${count} rows instead of ${rows.length}`);
  }
  return { seconds, rowsPerSecond: rows.length / seconds, logged: logged ?? [], loop };
}

async function benchDatabase(label, knex, code, { rowCount, pairs, progress }) {
  const db = { knex, plainStatementRows: Math.min(code.flush.maxBatch, STATEMENT_ROWS[label]) };
  await resetSchema(knex, code);
  const columns = Object.keys(await knex(TABLE).columnInfo())
    .filter((c) => c !== 'id' && c !== 'entry_id')
    .concat('content_type', 'document_id', 'locale');
  const rows = makeRows(rowCount, columns);
  const logged = [];
  const run = async (variant) => {
    const { logged: lines, ...result } = await timedRun(db, code, rows, variant);
    logged.push(...lines);
    return { ...result, logLines: lines.length };
  };
  await run('plain'); // warm-ups, discarded
  await run('buffer');
  const pairResults = [];
  for (let i = 0; i < pairs; i += 1) {
    const order = i % 2 === 0 ? ['plain', 'buffer'] : ['buffer', 'plain'];
    const pair = {};
    for (const variant of order) pair[variant] = await run(variant);
    pair.ratio = pair.buffer.rowsPerSecond / pair.plain.rowsPerSecond;
    pairResults.push(pair);
    progress(
      `${BENCHMARK} ${label} pair ${i + 1}/${pairs}: plain ${pair.plain.rowsPerSecond.toFixed(0)} rows/s, ` +
        `buffer ${pair.buffer.rowsPerSecond.toFixed(0)} rows/s, ratio ${pair.ratio.toFixed(3)}`
    );
  }
  const steady = await steadyFlush(knex, code, columns);
  await resetSchema(knex, code);
  const plain = pairResults.map((p) => p.plain.rowsPerSecond);
  const buffered = pairResults.map((p) => p.buffer.rowsPerSecond);
  const blocked = pairResults.map((p) => p.buffer.loop.busyMaxMs);
  const summary = ratioSummary(pairResults.map((p) => p.ratio));
  const name = `${BENCHMARK} ${label}`;
  const range = (values) => ({ range: [Math.min(...values), Math.max(...values)] });
  return {
    result: {
      database: label,
      rows: rowCount,
      bufferMaxBatch: code.flush.maxBatch,
      plainStatementRows: db.plainStatementRows,
      pairs: pairResults,
      summary,
      bufferLog: logged.slice(0, 20),
      steady,
    },
    rows: [
      valueRow(
        name,
        `rows/s plain INSERT, ${db.plainStatementRows} rows each (median, range)`,
        median(plain),
        range(plain)
      ),
      valueRow(
        name,
        'rows/s EventBuffer → insertRows (median, range)',
        median(buffered),
        range(buffered)
      ),
      ratioRow(name, 'rows/s ratio buffer ÷ plain', summary, null, {
        problems: logged.length ? [`EventBuffer logged ${logged.length} write failures`] : [],
      }),
      valueRow(
        name,
        'backlog flush: longest event-loop block incl. GC of the backlog, CPU (median, range)',
        median(blocked),
        { kind: 'ms', ...range(blocked) }
      ),
      // On SQLite a write holds the thread from its first statement to its commit.
      valueRow(
        name,
        `steady flush, ${code.flush.maxBatch} rows each: longest write`,
        steady.longestWriteMs,
        {
          kind: 'ms',
          ...(label === 'sqlite' ? { goal: STALL_GOAL } : {}),
        }
      ),
      valueRow(name, 'steady flush: longest event-loop block, CPU', steady.busyMaxMs, {
        kind: 'ms',
        goal: STALL_GOAL,
      }),
    ],
  };
}

export async function bufferFlush({ rowCount, pairs, flush, progress }) {
  const databases = [
    ['sqlite', connectSqlite],
    ['postgres', connectPostgres],
  ];
  const code = loadPluginCode(flush);
  const out = { result: [], rows: [] };
  for (const [label, connect] of databases) {
    const measure = 'rows/s ratio buffer ÷ plain';
    if (code.reason) {
      out.rows.push(unavailableRow(`${BENCHMARK} ${label}`, measure, code.reason));
      continue;
    }
    let knex;
    try {
      knex = await connect();
    } catch (error) {
      out.rows.push(
        unavailableRow(`${BENCHMARK} ${label}`, measure, `cannot connect: ${error.message}`)
      );
      continue;
    }
    try {
      const { result, rows } = await benchDatabase(label, knex, code, {
        rowCount,
        pairs,
        progress,
      });
      out.result.push(result);
      out.rows.push(...rows);
    } catch (error) {
      out.rows.push(
        unavailableRow(`${BENCHMARK} ${label}`, measure, shortMessage(error.message), null, 'error')
      );
      out.result.push({ database: label, error: error.message.slice(0, 2000) });
    } finally {
      await knex.destroy();
    }
  }
  return out;
}
