// Paired load runs. `runAB`: A B B A order (pair i runs A then B when i is even, B then A when
// odd), so drift over time hits both sides equally. `runRotation`: several servers in rounds, each
// round running every server once in a rotating order, the idle servers stopped (SIGSTOP) so that
// each server's background work (flushes, the per-minute rollup) runs in its own windows and is
// counted there, never in another server's; `compareForks` compares its rounds, pooled over
// several rotations each on freshly started servers (forks), with the mean of several baseline
// servers. Both give, per comparison, a throughput ratio B/A and a CPU-per-request ratio B/A per
// pair or round, summarised by their geometric mean and ±2 SE band, and the p99 latency ratio B/A
// per window, summarised by its median.
import { loadRun } from './load.mjs';
import { geomean, median, ratioSummary } from './stats.mjs';

function sideSummary(runs) {
  const ok = runs.reduce((sum, r) => sum + r.ok, 0);
  const cpu = runs.reduce((sum, r) => sum + r.cpuSeconds, 0);
  const rps = runs.map((r) => r.rps);
  return {
    runs: runs.length,
    medianRps: median(rps),
    minRps: Math.min(...rps),
    maxRps: Math.max(...rps),
    requests: ok,
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    // A window without a single answer (a server that never got to run) counts as an error.
    errors: runs.reduce((sum, r) => sum + r.errors + (r.completed === 0 ? 1 : 0), 0),
    cpuMicrosPerRequest: ok ? (cpu / ok) * 1e6 : NaN,
    medianP99Ms: median(runs.map((r) => r.p99Ms)),
  };
}

/**
 * The comparison of side `b` with side `a` over paired runs [{ a, b }, …]; `clusters` (one label
 * per pair, optional) as ratioSummary takes them.
 */
function compared(name, labels, pairs, clusters) {
  const ratios = pairs.map((p) => ({
    ratio: p.b.rps / p.a.rps,
    cpuRatio: p.b.cpuPerRequest / p.a.cpuPerRequest,
    p99Ratio: p.b.p99Ms / p.a.p99Ms,
  }));
  return {
    name,
    labels,
    pairs: pairs.map((p, i) => ({ ...p, ...ratios[i] })),
    throughput: ratioSummary(
      ratios.map((r) => r.ratio),
      clusters
    ),
    cpu: ratioSummary(
      ratios.map((r) => r.cpuRatio),
      clusters
    ),
    p99: median(ratios.map((r) => r.p99Ratio).filter(Number.isFinite)),
    a: sideSummary(pairs.map((p) => p.a)),
    b: sideSummary(pairs.map((p) => p.b)),
  };
}

/** One run standing for several baseline runs of a round: the geometric mean of their figures. */
function baselineRun(runs) {
  return {
    ...runs[0],
    rps: geomean(runs.map((r) => r.rps)),
    cpuPerRequest: geomean(runs.map((r) => r.cpuPerRequest)),
    p99Ms: geomean(runs.map((r) => r.p99Ms)),
  };
}

/**
 * The comparison of target `b` with the targets `a` (indices; several: their geometric mean per
 * round) over `forkRounds`, [{ fork, runs }] where runs[i] is target i's run of that round.
 * Rounds of one fork share their servers' processes, and two processes of the same build differ
 * by a few per cent for as long as they live: the band is the wider of the rounds' own and the
 * one the forks' means give (stats.mjs, ratioSummary's clusters), and the baseline side's
 * figures pool all its servers' runs.
 */
export function compareForks(name, labels, forkRounds, a, b) {
  const forks = forkRounds.map((r) => r.fork);
  const pairs = forkRounds.map(({ runs }) => ({
    a: baselineRun(a.map((i) => runs[i])),
    b: runs[b],
  }));
  const result = compared(name, labels, pairs, forks);
  const byFork = [...new Set(forks)].map((fork) => {
    const mine = result.pairs.filter((_, i) => forks[i] === fork);
    return {
      fork,
      throughput: geomean(mine.map((p) => p.ratio)),
      cpu: geomean(mine.map((p) => p.cpuRatio)),
    };
  });
  return {
    ...result,
    forks: byFork,
    pairs: result.pairs.map((p, i) => ({ fork: forks[i], ...p })),
    a: sideSummary(forkRounds.flatMap(({ runs }) => a.map((i) => runs[i]))),
  };
}

const describe = (name, label, i, count, order, runs) =>
  `${name} ${label} ${i + 1}/${count} (${order}): ` +
  runs.map(([l, r]) => `${l} ${r.rps.toFixed(0)} req/s p99 ${r.p99Ms} ms`).join(', ');

/**
 * Runs `pairs` A/B pairs of `seconds` each, after a discarded warm-up run of `warmupSeconds` per
 * side (a freshly booted server with the plugin is markedly slower for its first ~20 s under load).
 * `a` and `b` are load targets ({ label, pid, url, method?, headers?, body? }); they may be the
 * same server.
 */
export async function runAB({ name, a, b, pairs, seconds, warmupSeconds, progress = () => {} }) {
  await loadRun(a, warmupSeconds ?? seconds);
  await loadRun(b, warmupSeconds ?? seconds);
  const pairResults = [];
  for (let i = 0; i < pairs; i += 1) {
    const order = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    const pair = {};
    for (const side of order) pair[side] = await loadRun(side === 'a' ? a : b, seconds);
    pairResults.push(pair);
    progress(
      describe(name, 'pair', i, pairs, order.join(''), [
        [a.label, pair.a],
        [b.label, pair.b],
      ])
    );
  }
  return compared(name, { a: a.label, b: b.label }, pairResults);
}

/** SIGSTOP / SIGCONT to a server's process group (its pid leads it: bench/lib/server.mjs). */
function signal(pid, name) {
  try {
    process.kill(-pid, name);
  } catch {
    // gone: its load run reports the errors
  }
}

/**
 * Runs `rounds` rounds over `targets` (distinct servers, each { label, pid, … }), after a warm-up
 * run of each. Round r runs the targets rotated by r, reversed every other cycle, so each target
 * takes every position equally often; while one runs the others are stopped. Returns { rounds },
 * rounds[r][i] being target i's run in round r (compareForks compares them).
 */
export async function runRotation({
  name,
  targets,
  rounds,
  seconds,
  warmupSeconds,
  progress = () => {},
}) {
  const pids = targets.map((t) => t.pid);
  if (new Set(pids).size !== pids.length) throw new Error(`${name}: targets share a server`);
  const only = async (target, runSeconds) => {
    for (const pid of pids) if (pid !== target.pid) signal(pid, 'SIGSTOP');
    signal(target.pid, 'SIGCONT');
    return loadRun(target, runSeconds);
  };
  const results = []; // results[round][target index]
  try {
    for (const target of targets) await only(target, warmupSeconds ?? seconds);
    const k = targets.length;
    for (let r = 0; r < rounds; r += 1) {
      let order = targets.map((_, i) => (i + r) % k);
      if (Math.floor(r / k) % 2 === 1) order = order.reverse();
      const round = [];
      for (const i of order) round[i] = await only(targets[i], seconds);
      results.push(round);
      progress(
        describe(
          name,
          'round',
          r,
          rounds,
          order.join(''),
          targets.map((t, i) => [t.label, round[i]])
        )
      );
    }
  } finally {
    for (const pid of pids) signal(pid, 'SIGCONT');
  }
  return { rounds: results };
}
