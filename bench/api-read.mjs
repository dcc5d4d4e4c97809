// (a) Content API reads, GET /api/articles/:documentId, by READ_VISITORS visitors (client address
// + browser user agent) over ENTRIES articles of head-heavy popularity: plugin enabled ÷ plugin
// disabled, and in the same rounds two identical plugin-disabled servers (A/A), whose band gates
// every verdict of the A/B comparison.
import { runRotation } from './lib/ab-runner.mjs';
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

/**
 * One rotation over the plugin-disabled servers `off₁` and `off₂`, the plugin-enabled `on` and
 * any `variants` (plugin-enabled servers with another configuration, { label, server }): the A/A
 * comparison off₂ ÷ off₁ and every A/B comparison ÷ off₁ come from the same rounds.
 */
export async function apiReadRotation({ off1, off2, on, variants = [] }, options) {
  const targets = [
    await readTarget(off1, 'off₁'),
    await readTarget(off2, 'off₂'),
    await readTarget(on, 'on'),
    ...(await Promise.all(variants.map((v) => readTarget(v.server, v.label)))),
  ];
  if (new Set(targets.map((t) => t.entries)).size !== 1) {
    throw new Error(`${BENCHMARK}: the servers serve different articles`);
  }
  const logs = [on, ...variants.map((v) => v.server)].map(watchPluginLog);
  const rotation = await runRotation({ name: BENCHMARK, targets, ...options });
  const problems = logs.map((log) => log());
  const noiseFloor = apiReadNoiseFloor(rotation.compare(0, 1, `${BENCHMARK} A/A`));
  const cost = (index, label, log) =>
    apiReadPluginCost(
      rotation.compare(0, index, label === 'on' ? BENCHMARK : `${BENCHMARK} ${label}`),
      noiseFloor.result.noise,
      log
    );
  const variantResults = variants.map((v, i) => cost(3 + i, v.label, problems[1 + i]));
  const main = cost(2, 'on', problems[0]);
  return {
    result: {
      entries: targets[0].entries,
      noiseFloor: noiseFloor.result,
      pluginCost: main.result,
      variants: variantResults.map((v) => v.result),
    },
    rows: [...noiseFloor.rows, ...main.rows, ...variantResults.flatMap((v) => v.rows)],
  };
}

/** A/A: two plugin-disabled servers, rows for the throughput and CPU-per-request ratios. */
function apiReadNoiseFloor(result) {
  const name = result.name;
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
 * A/B: plugin disabled (baseline, side a) and enabled (side b). `noise` is the A/A result's
 * `noise` (verdicts of its throughput and CPU bands); without it every verdict is inconclusive.
 */
function apiReadPluginCost(result, noise, pluginLog) {
  const { a: off, b: on } = result;
  const { lines, problems } = pluginLog;
  const name = result.name;
  const side = result.labels.b;
  result.pluginLog = lines;
  const gate = {
    throughput: noise?.throughput ?? 'not run',
    cpu: noise?.cpu ?? 'not run',
  };
  const check = { sides: [off, on], problems };
  return {
    result,
    rows: [
      valueRow(name, 'req/s plugin off (median, range)', off.medianRps, {
        range: [off.minRps, off.maxRps],
      }),
      valueRow(name, `req/s plugin ${side} (median, range)`, on.medianRps, {
        range: [on.minRps, on.maxRps],
      }),
      ratioRow(name, `req/s ratio ${side} ÷ off`, result.throughput, THROUGHPUT_GOAL, {
        ...check,
        noise: gate.throughput,
      }),
      valueRow(name, 'CPU/request plugin off', off.cpuMicrosPerRequest, { kind: 'micros' }),
      valueRow(name, `CPU/request plugin ${side}`, on.cpuMicrosPerRequest, { kind: 'micros' }),
      ratioRow(name, `CPU/request ratio ${side} ÷ off`, result.cpu, CPU_GOAL, {
        ...check,
        noise: gate.cpu,
      }),
      valueRow(name, 'p99 plugin off (median of windows)', off.medianP99Ms, { kind: 'ms' }),
      valueRow(name, `p99 plugin ${side} (median of windows)`, on.medianP99Ms, { kind: 'ms' }),
      valueRow(name, `p99 ratio ${side} ÷ off (median of windows)`, result.p99, {
        kind: 'ratio',
        goal: P99_GOAL,
        noise: gate.throughput,
      }),
    ],
  };
}
