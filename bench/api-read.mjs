// (a) Content API reads, GET /api/articles/:documentId, by READ_VISITORS visitors (client address
// + browser user agent) over ENTRIES articles of head-heavy popularity: plugin enabled ÷ plugin
// disabled, and before it the same comparison between two identical plugin-disabled servers (A/A),
// whose band gates every verdict of the A/B comparison.
import { runAB } from './lib/ab-runner.mjs';
import { articleIds, watchPluginLog } from './lib/server.mjs';
import { contentReadRequests } from './lib/traffic.mjs';
import { ratioRow, valueRow } from './lib/table.mjs';
import { verdict } from './lib/stats.mjs';

const BENCHMARK = 'api-read';
const THROUGHPUT_GOAL = { op: '>=', target: 0.98, edge: 0.96 };
const CPU_GOAL = { op: '<=', target: 1.02, edge: 1.04 };
const P99_GOAL = { op: '<=', target: 1.1 };
/** The A/A band must contain 1 and stay within ±2 %. */
export const NOISE_GOAL = { op: 'contains', target: 1, width: 0.02 };

async function readTarget(server, label) {
  const ids = await articleIds(server);
  const url = `http://127.0.0.1:${server.port}/api/articles/${ids[0]}`;
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  let run = 0;
  return {
    label,
    pid: server.pid,
    url,
    entries: ids.length,
    // Each run gets its own seeded sequence; run n is the same on both sides.
    requests: () => contentReadRequests(ids, (run += 1)),
  };
}

async function compare(name, serverA, serverB, labels, options) {
  const a = await readTarget(serverA, labels[0]);
  const b = await readTarget(serverB, labels[1]);
  if (a.entries !== b.entries) throw new Error(`${name}: the servers serve different articles`);
  return { ...(await runAB({ name, a, b, ...options })), entries: a.entries };
}

/** A/A: two plugin-disabled servers, rows for the throughput and CPU-per-request ratios. */
export async function apiReadNoiseFloor(serverA, serverB, options) {
  const name = `${BENCHMARK} A/A`;
  const result = await compare(name, serverA, serverB, ['off₁', 'off₂'], options);
  const check = { sides: [result.a, result.b] };
  result.noise = {
    throughput: verdict(
      NOISE_GOAL,
      result.throughput.geomean,
      result.throughput.low,
      result.throughput.high
    ),
    cpu: verdict(NOISE_GOAL, result.cpu.geomean, result.cpu.low, result.cpu.high),
  };
  return {
    result,
    rows: [
      ratioRow(name, 'req/s ratio off₂ ÷ off₁', result.throughput, NOISE_GOAL, check),
      ratioRow(name, 'CPU/request ratio off₂ ÷ off₁', result.cpu, NOISE_GOAL, check),
      valueRow(name, 'p99 ratio off₂ ÷ off₁ (median of windows)', result.p99, { kind: 'ratio' }),
    ],
  };
}

/**
 * A/B: plugin disabled (baseline) and enabled. `noise` is the A/A result's `noise` (verdicts of
 * its throughput and CPU bands); without it every verdict is inconclusive.
 */
export async function apiReadPluginCost(serverOff, serverOn, options, noise) {
  const pluginLog = watchPluginLog(serverOn);
  const result = await compare(BENCHMARK, serverOff, serverOn, ['off', 'on'], options);
  const { a: off, b: on } = result;
  const { lines, problems } = pluginLog();
  result.pluginLog = lines;
  const gate = {
    throughput: noise?.throughput ?? 'not run',
    cpu: noise?.cpu ?? 'not run',
  };
  const check = { sides: [off, on], problems };
  return {
    result,
    rows: [
      valueRow(BENCHMARK, 'req/s plugin off (median, range)', off.medianRps, {
        range: [off.minRps, off.maxRps],
      }),
      valueRow(BENCHMARK, 'req/s plugin on (median, range)', on.medianRps, {
        range: [on.minRps, on.maxRps],
      }),
      ratioRow(BENCHMARK, 'req/s ratio on ÷ off', result.throughput, THROUGHPUT_GOAL, {
        ...check,
        noise: gate.throughput,
      }),
      valueRow(BENCHMARK, 'CPU/request plugin off', off.cpuMicrosPerRequest, { kind: 'micros' }),
      valueRow(BENCHMARK, 'CPU/request plugin on', on.cpuMicrosPerRequest, { kind: 'micros' }),
      ratioRow(BENCHMARK, 'CPU/request ratio on ÷ off', result.cpu, CPU_GOAL, {
        ...check,
        noise: gate.cpu,
      }),
      valueRow(BENCHMARK, 'p99 plugin off (median of windows)', off.medianP99Ms, { kind: 'ms' }),
      valueRow(BENCHMARK, 'p99 plugin on (median of windows)', on.medianP99Ms, { kind: 'ms' }),
      valueRow(BENCHMARK, 'p99 ratio on ÷ off (median of windows)', result.p99, {
        kind: 'ratio',
        goal: P99_GOAL,
        noise: gate.throughput,
      }),
    ],
  };
}
