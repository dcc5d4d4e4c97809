// Preloaded (`node --require`) into every benchmark server, plugin on or off alike; never part of
// the plugin. When BENCH_PROBE_PORT is set it listens there (127.0.0.1) and lets the benchmark:
//   POST /loop/reset, GET /loop   the event loop's delay since the reset (perf_hooks
//                                 monitorEventLoopDelay): max, p99 and mean in ms; and the most
//                                 CPU time the process used between two 10 ms ticks (busyMaxMs):
//                                 what a stall costs on a quiet machine, which a busy machine's
//                                 descheduling does not inflate
//   POST /seed?articles=N         create and publish N more articles (the popular-entries model)
//   POST /job/<name>              run a plugin job now and answer its duration: flush, rollup,
//                                 compaction, dashboard, retention
//   GET /pipeline                 the plugin's event-pipeline counters (accepted, dropped by reason)
//   POST /sql/reset, GET /sql     on SQLite, the Node.js thread's time inside database statements
//                                 since the reset: Strapi's own, the plugin's (statements naming
//                                 a ua_ table; by verb and first ua_ table) and transaction control
// It reads the Strapi instance from `global.strapi` (set by Strapi when it is created).
'use strict';

const http = require('node:http');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { loadTypeScript } = require('./typescript-source.cjs');

const { isoDay } = loadTypeScript('shared/time.ts');

const port = Number(process.env.BENCH_PROBE_PORT);
if (port) {
  const PLUGIN = 'usage-analytics';
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let busyMaxMs = 0;
  let lastCpu = process.cpuUsage();
  const tick = () => {
    const cpu = process.cpuUsage();
    const ms = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000;
    if (ms > busyMaxMs) busyMaxMs = ms;
    lastCpu = cpu;
  };
  setInterval(tick, 10).unref();

  const strapi = () => {
    if (!global.strapi) throw new Error('Strapi is not up yet');
    return global.strapi;
  };
  const service = (name) => strapi().plugin(PLUGIN).service(name);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Runs a job that returns null while another run holds its lease (the cron's own run). */
  async function withLease(run) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const result = await run();
      if (result !== null || Date.now() > deadline) return result;
      await sleep(200);
    }
  }

  const JOBS = {
    flush: () => service('event-pipeline').flush(),
    rollup: () => withLease(() => service('rollup').runOnce()),
    // Compaction runs inside the rollup, for today once it has enough partial generations.
    compaction: async () => {
      const knex = strapi().db.connection;
      await knex('ua_rollup_days')
        .where({ day: isoDay(Date.now()) })
        .update({ partials: 1000 });
      return withLease(() => service('rollup').runOnce());
    },
    // The overview of the last 30 days with the stats cache emptied (a first dashboard open).
    // Calendar arithmetic, no length of a day: the probe loads nothing of the repository into the
    // server it measures.
    dashboard: () => {
      const stats = service('stats');
      stats.forgetCached();
      const now = new Date();
      const dayStart = (offset) =>
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset);
      return stats.overview(
        { from: dayStart(-29), to: dayStart(1), interval: 'day', days: 30 },
        {}
      );
    },
    // Retention as if rawDays had passed: it deletes every raw row the benchmark wrote.
    retention: () => {
      const { rawDays } = service('plugin-config').get().retention;
      const later = new Date();
      later.setUTCDate(later.getUTCDate() + rawDays + 1);
      return withLease(() => service('retention').runOnce(later.getTime()));
    },
  };

  async function seedArticles(count) {
    const articles = strapi().documents('api::article.article');
    for (let i = 0; i < count; i += 1) {
      const title = `Benchmark article ${i + 1}`;
      const doc = await articles.create({
        data: { title, slug: `benchmark-article-${i + 1}`, body: `# ${title}\n\nSome text.` },
        locale: 'en',
      });
      await articles.publish({ documentId: doc.documentId, locale: 'en' });
    }
  }

  // better-sqlite3 runs each statement synchronously inside knex's `_query`: the time from its
  // call to its return is the time the statement held the thread.
  const sql = {
    other: { ms: 0, count: 0 },
    plugin: { ms: 0, count: 0 },
    transactions: { ms: 0, count: 0 },
    statements: new Map(),
  };
  let sqlTimed = false;
  function timeStatements() {
    if (sqlTimed) return;
    const client = strapi().db.connection.client;
    if (!/sqlite/.test(String(client.config.client))) return;
    // On the prototype: a transaction's client is a new object made from it.
    const proto = Object.getPrototypeOf(client);
    const query = proto._query;
    proto._query = function timed(connection, obj) {
      const started = performance.now();
      const result = query.call(this, connection, obj);
      const ms = performance.now() - started;
      const text = obj.sql ?? '';
      // Transaction control names no table: Strapi opens a transaction per request, the
      // plugin one per flush and rollup chunk; it is counted apart.
      const control = /^\s*(begin|commit|rollback|savepoint|release)\b/i.test(text);
      const table = /\bua_\w+/.exec(text)?.[0];
      const owner = control ? sql.transactions : table ? sql.plugin : sql.other;
      owner.ms += ms;
      owner.count += 1;
      if (table) {
        const key = `${/^\s*(\w+)/.exec(text)?.[1]?.toUpperCase()} ${table}`;
        const entry = sql.statements.get(key) ?? { ms: 0, count: 0, maxMs: 0 };
        entry.ms += ms;
        entry.count += 1;
        entry.maxMs = Math.max(entry.maxMs, ms);
        sql.statements.set(key, entry);
      }
      return result;
    };
    sqlTimed = true;
  }

  async function handle(req, url) {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /loop/reset') {
      delay.reset();
      busyMaxMs = 0;
      lastCpu = process.cpuUsage();
      return { ok: true };
    }
    if (route === 'GET /loop') {
      tick();
      return {
        maxMs: delay.max / 1e6,
        p99Ms: delay.percentile(99) / 1e6,
        meanMs: delay.mean / 1e6,
        busyMaxMs,
      };
    }
    if (route === 'POST /sql/reset') {
      timeStatements();
      for (const owner of [sql.other, sql.plugin, sql.transactions]) {
        Object.assign(owner, { ms: 0, count: 0 });
      }
      sql.statements.clear();
      return { timed: sqlTimed };
    }
    if (route === 'GET /sql') {
      const statements = [...sql.statements]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, 12)
        .map(([statement, figures]) => ({ statement, ...figures }));
      const { other, plugin, transactions } = sql;
      return { timed: sqlTimed, other, plugin, transactions, statements };
    }
    if (route === 'POST /seed') {
      await seedArticles(Number(url.searchParams.get('articles') ?? 0));
      return { ok: true };
    }
    if (route === 'GET /pipeline') {
      if (!strapi().plugin(PLUGIN)) return { enabled: false };
      return { enabled: true, ...service('event-pipeline').stats() };
    }
    const job = req.method === 'POST' && /^\/job\/(\w+)$/.exec(url.pathname)?.[1];
    if (job && JOBS[job]) {
      const started = performance.now();
      const result = await JOBS[job]();
      return { ms: performance.now() - started, result: result === undefined ? null : result };
    }
    return null;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://probe');
    handle(req, url).then(
      (body) => {
        res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? { error: 'unknown probe route' }));
      },
      (error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(error?.stack ?? error) }));
      }
    );
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
