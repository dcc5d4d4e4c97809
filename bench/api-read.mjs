// (a) Content API reads, GET /api/articles/:documentId, by READ_VISITORS visitors (client address
// + browser user agent) over ENTRIES articles of head-heavy popularity: plugin enabled ÷ plugin
// disabled (the mean of two such servers), and in the same rounds the two plugin-disabled servers
// with each other (A/A), whose band gates every verdict of the A/B comparison; in several forks,
// each on freshly started servers.
import { compareForks, runRotation } from './lib/ab-runner.mjs';
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
 * Rotations over the plugin-disabled servers `off₁` and `off₂`, the plugin-enabled `on` and any
 * `variants` (plugin-enabled servers with another configuration, { label, server }), `forks` of
 * them, each on servers freshly started by `boot()` (which resolves to { off1, off2, on,
 * variants }; `stop(servers)` stops a fork's servers), `rounds` rounds in all. Two processes of the
 * same build differ by a few per cent for as long as they live, so one pair of processes says
 * little; every comparison pools the rounds of all forks and its band covers how much the forks
 * disagree. The A/A comparison is off₂ ÷ off₁; every A/B comparison is against the mean of off₁
 * and off₂ in the same rounds. Resolves to the rows, the result and the last fork's servers,
 * which are left running.
 */
export async function apiReadRotation({ boot, stop, forks = 1 }, { rounds, ...options }) {
  const forkRounds = [];
  const problems = [];
  let servers = null;
  let labels = null;
  let entries = null;
  for (let fork = 0; fork < forks; fork += 1) {
    if (servers) await stop(servers);
    servers = await boot(fork);
    const { off1, off2, on, variants = [] } = servers;
    const targets = [
      await readTarget(off1, 'off₁'),
      await readTarget(off2, 'off₂'),
      await readTarget(on, 'on'),
      ...(await Promise.all(variants.map((v) => readTarget(v.server, v.label)))),
    ];
    if (new Set(targets.map((t) => t.entries)).size !== 1) {
      throw new Error(`${BENCHMARK}: the servers serve different articles`);
    }
    labels = targets.map((t) => t.label);
    entries = targets[0].entries;
    const logs = [on, ...variants.map((v) => v.server)].map(watchPluginLog);
    const rotation = await runRotation({
      name: forks > 1 ? `${BENCHMARK} fork ${fork + 1}/${forks}` : BENCHMARK,
      targets,
      rounds: Math.ceil(rounds / forks),
      ...options,
    });
    for (const runs of rotation.rounds) forkRounds.push({ fork, runs });
    logs.forEach((log, i) => {
      const seen = log();
      problems[i] = {
        lines: [...(problems[i]?.lines ?? []), ...seen.lines],
        problems: [...(problems[i]?.problems ?? []), ...seen.problems],
      };
    });
  }
  const compare = (a, b, name) =>
    compareForks(name, { a: a.map((i) => labels[i]).join(' · '), b: labels[b] }, forkRounds, a, b);
  const noiseFloor = apiReadNoiseFloor(compare([0], 1, `${BENCHMARK} A/A`));
  const cost = (index) =>
    apiReadPluginCost(
      compare([0, 1], index, labels[index] === 'on' ? BENCHMARK : `${BENCHMARK} ${labels[index]}`),
      noiseFloor.result.noise,
      problems[index - 2]
    );
  const main = cost(2);
  const variantResults = labels.slice(3).map((_, i) => cost(3 + i));
  const perFork = (result) => result.forks.map((f) => f.throughput.toFixed(3)).join(', ');
  options.progress?.(
    `req/s ratios per fork: A/A ${perFork(noiseFloor.result)}; ` +
      [main, ...variantResults].map((c) => `${c.result.labels.b} ${perFork(c.result)}`).join('; ')
  );
  return {
    result: {
      entries,
      forks,
      rounds: forkRounds.length,
      noiseFloor: noiseFloor.result,
      pluginCost: main.result,
      variants: variantResults.map((v) => v.result),
    },
    rows: [...noiseFloor.rows, ...main.rows, ...variantResults.flatMap((v) => v.rows)],
    servers,
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
      valueRow(name, 'req/s plugin off₁ · off₂ (median, range)', off.medianRps, {
        range: [off.minRps, off.maxRps],
      }),
      valueRow(name, `req/s plugin ${side} (median, range)`, on.medianRps, {
        range: [on.minRps, on.maxRps],
      }),
      ratioRow(
        name,
        `req/s ratio ${side} ÷ off (mean of off₁, off₂)`,
        result.throughput,
        THROUGHPUT_GOAL,
        {
          ...check,
          noise: gate.throughput,
        }
      ),
      valueRow(name, 'CPU/request plugin off₁ · off₂', off.cpuMicrosPerRequest, { kind: 'micros' }),
      valueRow(name, `CPU/request plugin ${side}`, on.cpuMicrosPerRequest, { kind: 'micros' }),
      ratioRow(name, `CPU/request ratio ${side} ÷ off (mean)`, result.cpu, CPU_GOAL, {
        ...check,
        noise: gate.cpu,
      }),
      valueRow(name, 'p99 plugin off₁ · off₂ (median of windows)', off.medianP99Ms, { kind: 'ms' }),
      valueRow(name, `p99 plugin ${side} (median of windows)`, on.medianP99Ms, { kind: 'ms' }),
      valueRow(name, `p99 ratio ${side} ÷ off (mean; median of windows)`, result.p99, {
        kind: 'ratio',
        goal: P99_GOAL,
        noise: gate.throughput,
      }),
    ],
  };
}
