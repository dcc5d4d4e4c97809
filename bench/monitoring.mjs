// `npm run bench:monitoring`: the cost of request timing and the accuracy of its histograms.
//  1. In process: LogHistogram.record and MinuteRecorder.record operations per second, and the
//     percentile error of the histogram against the exact percentiles of 1 M log-normal values.
//  2. Over HTTP, with the method of `npm run bench` (bench/lib): two plugin-disabled servers (A/A,
//     the noise floor), then plugin disabled ÷ plugin enabled with only monitoring on (collection
//     and API-read tracking off), GET /api/articles/:documentId, both pinned to CPU 0 and the load
//     generator to CPU 1, pairs in A B B A order, geometric mean of the ratios ±2 SE.
// Prints one table and writes it to bench/results/monitoring-latest.json.
//
// Environment: BENCH_PAIRS (16) pairs, BENCH_SECONDS (2) seconds per run, BENCH_WARMUP_SECONDS
// (5 × BENCH_SECONDS), BENCH_BUILD=0 to reuse the last build, BENCH_MONITORING_HTTP=0 for the
// in-process part only. Servers listen on BENCH_PORT + 80 and + 81 (1480–1481).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { runAB } from './lib/ab-runner.mjs';
import { buildPluginAndApp, compileSources } from './lib/build.mjs';
import { checkPinningAvailable, pinProcess } from './lib/cpu.mjs';
import { BROWSER_UA, CONNECTIONS } from './lib/load.mjs';
import { createProgress, intFromEnv } from './lib/context.mjs';
import { RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { loadTypeScript } from './lib/typescript-source.cjs';
import {
  BASE_PORT,
  firstArticle,
  killAllServersNow,
  killLeftovers,
  startServer,
  stopAllServers,
  stopServer,
  watchPluginLog,
} from './lib/server.mjs';
import { shortMessage } from './lib/short-message.mjs';
import { formatTable, ratioRow, unavailableRow, valueRow } from './lib/table.mjs';

const { seededRandom } = loadTypeScript('tests/app/src/seeded-random.ts');

const require = createRequire(import.meta.url);
const PORTS = [BASE_PORT + 80, BASE_PORT + 81];
const LOAD_CPU = 1;
// Only the timing: no analytics collected, no API reads tracked.
const MONITORING_ONLY = { enabled: false, trackApiReads: false, monitoring: { enabled: true } };
// The same plugin with timing off too: isolates what the timing middleware itself costs.
const NOTHING_ON = { enabled: false, trackApiReads: false, monitoring: { enabled: false } };

const progress = createProgress('bench:monitoring');

/** Log-normal latencies: median e^3 ≈ 20 ms, σ 1.2 (a long tail, p99 ≈ 330 ms). */
function latencies(count, seed) {
  const next = seededRandom(seed);
  return Float64Array.from({ length: count }, () =>
    Math.exp(3 + 1.2 * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()))
  );
}

function opsPerSecond(values, fn) {
  // Three passes; the best one (the others paid for warm-up or a GC).
  let best = 0;
  for (let pass = 0; pass < 3; pass += 1) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < values.length; i += 1) fn(values[i], i);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, values.length / seconds);
  }
  return best;
}

function inProcess() {
  const sources = compileSources([
    'server/src/monitoring/log-histogram.ts',
    'server/src/monitoring/minute-recorder.ts',
  ]);
  if (sources.missing.length) throw new Error(`missing sources: ${sources.missing.join(', ')}`);
  const { LogHistogram } = sources.load('server/src/monitoring/log-histogram.ts');
  const { MinuteRecorder } = sources.load('server/src/monitoring/minute-recorder.ts');

  const values = latencies(1_000_000, 7);
  const histogram = new LogHistogram();
  const recordOps = opsPerSecond(values, (v) => histogram.record(v));

  const recorder = new MinuteRecorder();
  const routes = Array.from({ length: 50 }, (_, i) => `/api/type-${i}/:id`);
  const now = Date.now();
  const recorderOps = opsPerSecond(values, (v, i) =>
    recorder.record(now, 'GET', routes[i % routes.length], i % 97 ? 200 : 500, v)
  );

  const exactValues = latencies(1_000_000, 11);
  const h = new LogHistogram();
  for (const v of exactValues) h.record(v);
  const sorted = Float64Array.from(exactValues).sort();
  const errors = {};
  for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))];
    errors[q] = Math.abs(h.quantile(q) - exact) / exact;
  }
  const worst = Math.max(...Object.values(errors));
  const rows = [
    valueRow('histogram', 'LogHistogram.record ops/s', recordOps),
    valueRow('histogram', 'MinuteRecorder.record ops/s (50 routes)', recorderOps),
    ...Object.entries(errors).map(([q, e]) =>
      valueRow('histogram', `p${Number(q) * 100} relative error, % (1 M log-normal)`, e * 100, {
        kind: 'ratio',
      })
    ),
    valueRow('histogram', 'worst percentile error, %', worst * 100, {
      kind: 'ratio',
      goal: { op: '<=', target: 2, text: '2 %' },
    }),
    valueRow('histogram', 'buckets used (1 M values)', h.counts.size),
  ];
  return { result: { recordOps, recorderOps, errors, buckets: h.counts.size }, rows };
}

async function target(server, label) {
  const article = await firstArticle(server);
  const url = `http://127.0.0.1:${server.port}/api/articles/${article.documentId}`;
  const res = await fetch(url, { headers: { 'user-agent': BROWSER_UA } });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return { label, pid: server.pid, url, headers: { 'user-agent': BROWSER_UA } };
}

async function overHttp(settings) {
  checkPinningAvailable();
  pinProcess(process.pid, LOAD_CPU);
  const { ensureAppEnv } = require(path.join(ROOT, 'scripts', 'app-env.cjs'));
  const envPath = ensureAppEnv();
  const boot = async (name, port, pluginEnabled, pluginConfig = MONITORING_ONLY) => {
    const server = await startServer({
      name,
      port,
      pluginEnabled,
      pluginConfig,
      envPath,
    });
    progress(`${name} up on :${port}, pid ${server.pid}, CPU ${server.cpus}`);
    return server;
  };
  const load = {
    pairs: settings.pairs,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    progress,
  };
  const rows = [];
  const result = {};
  try {
    const off1 = await boot('monitoring-off-1', PORTS[0], false);
    const off2 = await boot('monitoring-off-2', PORTS[1], false);
    const aa = await runAB({
      name: 'timing A/A',
      a: await target(off1, 'off₁'),
      b: await target(off2, 'off₂'),
      ...load,
    });
    result.noiseFloor = aa;
    const contains1 = { op: 'contains', target: 1 };
    rows.push(
      ratioRow('timing A/A', 'req/s ratio off₂ ÷ off₁', aa.throughput, contains1, {
        sides: [aa.a, aa.b],
      }),
      ratioRow('timing A/A', 'CPU/request ratio off₂ ÷ off₁', aa.cpu, contains1, {
        sides: [aa.a, aa.b],
      })
    );
    await stopServer(off2);

    const on = await boot('monitoring-on', PORTS[1], true);
    const pluginLog = watchPluginLog(on);
    const ab = await runAB({
      name: 'timing',
      a: await target(off1, 'off'),
      b: await target(on, 'timing on'),
      ...load,
    });
    const { problems } = pluginLog();
    result.timing = ab;
    const check = { sides: [ab.a, ab.b], problems };
    rows.push(
      valueRow('timing', 'req/s plugin off (median)', ab.a.medianRps, {
        range: [ab.a.minRps, ab.a.maxRps],
      }),
      valueRow('timing', 'req/s monitoring only (median)', ab.b.medianRps, {
        range: [ab.b.minRps, ab.b.maxRps],
      }),
      ratioRow(
        'timing',
        'req/s ratio monitoring-only ÷ off',
        ab.throughput,
        {
          op: '>=',
          target: 0.99,
        },
        check
      ),
      valueRow('timing', 'CPU/request plugin off', ab.a.cpuMicrosPerRequest, { kind: 'micros' }),
      valueRow('timing', 'CPU/request monitoring only', ab.b.cpuMicrosPerRequest, {
        kind: 'micros',
      }),
      ratioRow(
        'timing',
        'CPU/request ratio monitoring-only ÷ off',
        ab.cpu,
        {
          op: '<=',
          target: 1.02,
        },
        check
      )
    );

    // The marginal cost of timing: plugin loaded with everything off ÷ the same with timing on.
    await stopServer(off1);
    const bare = await boot('monitoring-plugin-bare', PORTS[0], true, NOTHING_ON);
    const bareLog = watchPluginLog(on);
    const marginal = await runAB({
      name: 'timing (plugin loaded)',
      a: await target(bare, 'timing off'),
      b: await target(on, 'timing on'),
      ...load,
    });
    result.marginal = marginal;
    const marginalCheck = { sides: [marginal.a, marginal.b], problems: bareLog().problems };
    rows.push(
      ratioRow(
        'timing (plugin loaded)',
        'req/s ratio timing on ÷ off',
        marginal.throughput,
        { op: '>=', target: 0.99 },
        marginalCheck
      ),
      ratioRow(
        'timing (plugin loaded)',
        'CPU/request ratio timing on ÷ off',
        marginal.cpu,
        { op: '<=', target: 1.02 },
        marginalCheck
      )
    );
  } finally {
    await stopAllServers();
  }
  return { result, rows };
}

async function main() {
  const settings = {
    pairs: intFromEnv('BENCH_PAIRS', 16, 2),
    seconds: intFromEnv('BENCH_SECONDS', 2),
    connections: CONNECTIONS,
    pluginConfig: MONITORING_ONLY,
  };
  settings.warmupSeconds = intFromEnv('BENCH_WARMUP_SECONDS', 5 * settings.seconds);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  process.on('exit', killAllServersNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killAllServersNow();
      process.exit(128 + (os.constants.signals[signal] ?? 0));
    });
  }
  const http = process.env.BENCH_MONITORING_HTTP !== '0';
  if (http && process.env.BENCH_BUILD !== '0') {
    progress('building the plugin and the test app');
    buildPluginAndApp();
  }

  const rows = [];
  const details = {};
  const section = async (key, benchmark, fn) => {
    try {
      const { result, rows: produced } = await fn();
      rows.push(...produced);
      details[key] = result;
    } catch (error) {
      progress(`${benchmark} failed: ${error.stack ?? error}`);
      rows.push(unavailableRow(benchmark, '—', shortMessage(error.message), null, 'error'));
      details[key] = { error: error.message.slice(0, 2000) };
    }
  };
  progress('histogram: record rate and percentile error');
  await section('histogram', 'histogram', async () => inProcess());
  if (http) {
    killLeftovers();
    progress(`timing overhead: ${settings.pairs} pairs × ${settings.seconds} s, A/A then A/B`);
    await section('http', 'timing', () => overHttp(settings));
  }

  const table = formatTable(rows);
  const report = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    settings,
    durationSeconds: progress.seconds(),
    rows: rows.map(({ display: _display, ...row }) => row),
    table,
    details,
  };
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'monitoring-latest.json'),
    JSON.stringify(report, null, 2) + '\n'
  );
  console.log(
    `\nMonitoring benchmarks — ${report.date.slice(0, 10)}, ${report.machine.cores} cores, ` +
      `Node ${process.version}, ${settings.pairs} pairs × ${settings.seconds} s, ${CONNECTIONS} connections\n`
  );
  console.log(table);
}

main().catch(async (error) => {
  process.stderr.write(`bench:monitoring failed: ${error.stack ?? error}\n`);
  await stopAllServers().catch(() => {});
  process.exitCode = 1;
});
