// `npm run bench:rollup`: times the plugin's rollup and the stats API's overview on SQLite and
// PostgreSQL with synthetic data, through the real services of the test app booted in-process
// (one child process per database, bench/rollup-worker.mjs). Prints one table and writes it with
// every raw figure to bench/results/rollup-latest.json.
//
// Environment: BENCH_ROLLUP_EVENTS (1000000) raw events over BENCH_ROLLUP_DAYS (30) days for the
// full rollup; BENCH_ROLLUP_TODAY (1000000) raw rows today for the large incremental case (the
// small one is a tenth); BENCH_ROLLUP_INCREMENT (10000) events per incremental rollup,
// BENCH_ROLLUP_RUNS (3) incremental rollups per case; BENCH_OVERVIEW_ENTRIES (10000) entries ×
// BENCH_OVERVIEW_DAYS (365) days of aggregates; BENCH_OVERVIEW_RUNS (20) overview calls per case,
// at most BENCH_OVERVIEW_SECONDS (30) per case but at least BENCH_OVERVIEW_MIN_RUNS (3); BENCH_ROLLUP_DATABASES
// (sqlite,postgres); BENCH_ROLLUP_ENTRIES (2000) content entries the raw events of the full rollup
// and the storage phase read; BENCH_ROLLUP_FULL_ONLY=1 to time the full rollup only; BENCH_BUILD=0 to
// reuse the last build. PostgreSQL first measures storage: BENCH_STORAGE_EVENTS (200000, 0 to
// skip) events of a website over 30 days, bytes per pageview of the plugin's tables beside
// Umami's; BENCH_STORAGE_ONLY=1 to measure that only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildPluginAndApp } from './lib/build.mjs';
import { createProgress, gitState, intFromEnv, machine } from './lib/context.mjs';
import { RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { shortMessage } from './lib/short-message.mjs';
import { median, verdict } from './lib/stats.mjs';
import { formatTable, unavailableRow } from './lib/table.mjs';

const WORKER = path.join(ROOT, 'bench', 'rollup-worker.mjs');
const children = new Set();

const progress = createProgress('bench:rollup');

const int = (x) => Math.round(x).toLocaleString('en-US');
const fmt = {
  s: (x) => `${x.toFixed(1)} s`,
  ms: (x) => `${int(x)} ms`,
  int,
  ratio: (x) => x.toFixed(2),
};
const GOAL_TEXT = { '<=': '≤', '>=': '≥', '<': '<' };

/** A row for lib/table.mjs's formatTable, with this benchmark's units. */
function row(benchmark, measure, value, { kind = 'int', range, goal } = {}) {
  return {
    benchmark,
    measure,
    value,
    band: range ?? null,
    goal: goal ? `${GOAL_TEXT[goal.op]} ${goal.text ?? fmt[kind](goal.target)}` : '—',
    verdict: verdict(goal, value),
    display: {
      value: fmt[kind](value),
      band: range ? `${fmt[kind](range[0])}–${fmt[kind](range[1])}` : '—',
    },
  };
}

function storageRows(db, storage) {
  const name = `storage ${db}`;
  const size = `${int(storage.events)} events / ${storage.days} days, ${int(storage.kinds.pageview)} pageviews`;
  return [
    row(name, `all plugin tables, bytes per pageview (${size})`, storage.pluginBytesPerPageview, {
      goal: { op: '<=', target: 400 },
    }),
    row(
      name,
      `Umami's session + website_event + event_data, bytes per pageview (same traffic)`,
      storage.umamiBytesPerPageview
    ),
    row(
      name,
      'plugin ÷ Umami bytes',
      storage.pluginBytesPerPageview / storage.umamiBytesPerPageview,
      { kind: 'ratio', goal: { op: '<=', target: 0.5 } }
    ),
  ];
}

function rowsFor(db, r) {
  const name = `rollup ${db}`;
  const rows = r.phases.storage ? storageRows(db, r.phases.storage) : [];
  const full = r.phases.full;
  if (full) {
    const size = `${int(full.events)} events / ${full.days} days`;
    rows.push(
      row(name, `bulk insert of the raw events (rows/s)`, full.insertRowsPerSecond),
      row(name, `full rollup, ${size}`, full.rollupSeconds, { kind: 's' }),
      row(name, 'full rollup rate (events/s)', full.eventsPerSecond, {
        goal: { op: '>=', target: 10_000_000 / 120, text: '83,333 (10 M in 120 s)' },
      })
    );
  }
  for (const c of r.phases.incremental ?? []) {
    if (c.kind === 'catch-up') {
      if (c.todayRows >= r.settings.todayLarge) {
        rows.push(
          row(name, `rollup of today after loading it to ${int(c.todayRows)} rows`, c.ms, {
            kind: 'ms',
          })
        );
      }
      continue;
    }
    const times = c.runs.map((x) => x.ms);
    const before = c.runs[0].todayRows;
    const after = c.runs[c.runs.length - 1].todayRows;
    rows.push(
      row(
        name,
        `incremental +${int(r.settings.increment)}, today ${int(before)}–${int(after)} rows (median, range)`,
        median(times),
        { kind: 'ms', range: [Math.min(...times), Math.max(...times)] }
      )
    );
  }
  const increments = (r.phases.incremental ?? []).filter((c) => c.kind === 'increment');
  if (increments.length >= 3) {
    const small = median(increments[1].runs.map((x) => x.ms));
    const large = median(increments[2].runs.map((x) => x.ms));
    rows.push(
      row(name, 'incremental cost ratio, today ×10 rows', large / small, { kind: 'ratio' })
    );
  }
  const overview = r.phases.overview;
  if (overview?.summaries) {
    const { months, runs, seconds, longestRunMs } = overview.summaries;
    rows.push(
      row(
        name,
        `month summaries of the aggregates: ${months} months in ${runs} rollup runs`,
        seconds,
        {
          kind: 's',
        }
      ),
      row(name, 'month summaries: longest rollup run', longestRunMs, { kind: 'ms' })
    );
  }
  for (const c of overview?.cases ?? []) {
    const what =
      `overview ${c.rangeDays} d, ${int(overview.aggregateRows.ua_content_daily)} content-day rows, ` +
      `${int(c.rawRows)} raw rows` +
      (c.pendingRows ? `, ${int(c.pendingRows)} pending` : '');
    if (c.coldRuns) {
      rows.push(
        row(name, `${what}: cold p50 (${c.coldRuns} runs, nothing in memory)`, c.coldP50, {
          kind: 'ms',
          // Goal 4: ≤ 300 ms cold; with rows pending, the goal is the read after a flush.
          ...(c.pendingRows ? {} : { goal: { op: '<=', target: 300 } }),
        })
      );
    }
    if (c.flushedRuns) {
      rows.push(
        row(
          name,
          `${what}: each after a flush of 20 events (p50 of ${c.flushedRuns})`,
          c.flushedP50,
          { kind: 'ms', goal: { op: '<=', target: 100 } }
        )
      );
    }
    if (c.lateRuns) {
      rows.push(
        row(
          name,
          `${what}: after a late event on yesterday, rolled up (p50 of ${c.lateRuns})`,
          c.lateP50,
          { kind: 'ms' }
        )
      );
    }
    rows.push(row(name, `${what}: warm p50 (${c.runs} runs)`, c.p50, { kind: 'ms' }));
    rows.push(
      row(name, `${what}: warm p95`, c.p95, {
        kind: 'ms',
        goal: { op: '<=', target: c.pendingRows ? 100 : 50 },
      })
    );
  }
  return rows;
}

function runWorker(db, settings) {
  const outFile = path.join(RESULTS_DIR, `rollup-${db}.json`);
  fs.rmSync(outFile, { force: true });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', WORKER, db, outFile], {
      cwd: ROOT,
      env: { ...process.env, BENCH_ROLLUP_SETTINGS: JSON.stringify(settings) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.add(child);
    child.once('exit', (code) => {
      children.delete(child);
      let result = null;
      try {
        result = JSON.parse(fs.readFileSync(outFile, 'utf8'));
      } catch {
        // no result written
      }
      resolve({ code, result });
    });
  });
}

async function main() {
  const todayLarge = intFromEnv('BENCH_ROLLUP_TODAY', 1_000_000, 10);
  const settings = {
    events: intFromEnv('BENCH_ROLLUP_EVENTS', 1_000_000),
    days: intFromEnv('BENCH_ROLLUP_DAYS', 30),
    entries: intFromEnv('BENCH_ROLLUP_ENTRIES', 2000),
    visitorsPer100: 20,
    todayLarge,
    todaySmall: Math.round(todayLarge / 10),
    increment: intFromEnv('BENCH_ROLLUP_INCREMENT', 10_000),
    incrementalRuns: intFromEnv('BENCH_ROLLUP_RUNS', 3),
    aggregateEntries: intFromEnv('BENCH_OVERVIEW_ENTRIES', 10_000),
    aggregateDays: intFromEnv('BENCH_OVERVIEW_DAYS', 365),
    overviewRuns: intFromEnv('BENCH_OVERVIEW_RUNS', 20, 3),
    overviewMinRuns: intFromEnv('BENCH_OVERVIEW_MIN_RUNS', 3),
    overviewMaxSeconds: intFromEnv('BENCH_OVERVIEW_SECONDS', 30),
    storageEvents: intFromEnv('BENCH_STORAGE_EVENTS', 200_000, 0),
    storageOnly: process.env.BENCH_STORAGE_ONLY === '1',
    fullOnly: process.env.BENCH_ROLLUP_FULL_ONLY === '1',
    profile: process.env.BENCH_ROLLUP_PROFILE === '1',
  };
  const databases = (process.env.BENCH_ROLLUP_DATABASES ?? 'sqlite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const db of databases) {
    if (!['sqlite', 'postgres'].includes(db)) throw new Error(`unknown database ${db}`);
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const info = machine();
  progress(
    `${info.cores} cores (${info.cpuModel}), ${info.node}, load ${info.loadAverageAtStart.join(' ')}`
  );
  const measured = gitState(['server', 'shared', 'tests/app']);
  let buildTimes = null;
  if (process.env.BENCH_BUILD !== '0') {
    progress('building the plugin and the test app');
    buildTimes = buildPluginAndApp();
  }

  const rows = [];
  const details = {};
  for (const db of databases) {
    progress(`${db}: starting`);
    const { code, result } = await runWorker(db, settings);
    details[db] = result;
    if (result) rows.push(...rowsFor(db, result));
    if (code !== 0 || !result || result.error) {
      const reason = result?.error ? shortMessage(result.error.split('\n')[0]) : `exit ${code}`;
      rows.push(unavailableRow(`rollup ${db}`, 'remaining measurements', reason, null, 'error'));
    }
  }

  const report = {
    date: new Date().toISOString(),
    machine: info,
    git: measured,
    settings,
    buildTimes,
    durationSeconds: progress.seconds(),
    rows: rows.map(({ display: _display, ...r }) => r),
    table: formatTable(rows),
    details,
  };
  const out = path.join(RESULTS_DIR, 'rollup-latest.json');
  fs.writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(
    `\nRollup and stats API — ${report.date.slice(0, 10)}, ${info.cores} cores (${info.cpuModel}), ` +
      `Node ${info.node}, commit ${measured.commit}${measured.dirty ? ' + uncommitted changes' : ''}\n`
  );
  console.log(report.table);
  console.log(`\nWritten to ${path.relative(ROOT, out)} in ${report.durationSeconds} s`);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  });
}

main().catch((error) => {
  process.stderr.write(`bench:rollup failed: ${error.stack ?? error}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exitCode = 1;
});
