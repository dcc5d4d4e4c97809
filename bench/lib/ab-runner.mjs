// Paired A/B load runs in A B B A order: pair i runs A then B when i is even, B then A when odd,
// so drift over time hits both sides equally. Each pair yields a throughput ratio B/A and a
// CPU-per-request ratio B/A; both are summarised by their geometric mean and ±2 SE band. The p99
// latency ratio B/A of each pair (window) is summarised by its median over the windows.
import { loadRun } from './load.mjs';
import { median, ratioSummary } from './stats.mjs';

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
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuMicrosPerRequest: ok ? (cpu / ok) * 1e6 : NaN,
    medianP99Ms: median(runs.map((r) => r.p99Ms)),
  };
}

/**
 * Runs `pairs` A/B pairs of `seconds` each, after a discarded warm-up run of `warmupSeconds` per
 * side (a freshly booted server with the plugin is markedly slower for its first ~20 s under load).
 * `a` and `b` are load targets ({ label, pid, url, method?, headers?, body? }).
 */
export async function runAB({ name, a, b, pairs, seconds, warmupSeconds, progress = () => {} }) {
  await loadRun(a, warmupSeconds ?? seconds);
  await loadRun(b, warmupSeconds ?? seconds);
  const pairResults = [];
  for (let i = 0; i < pairs; i += 1) {
    const order = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    const pair = {};
    for (const side of order) pair[side] = await loadRun(side === 'a' ? a : b, seconds);
    pair.ratio = pair.b.rps / pair.a.rps;
    pair.cpuRatio = pair.b.cpuPerRequest / pair.a.cpuPerRequest;
    pair.p99Ratio = pair.b.p99Ms / pair.a.p99Ms;
    pairResults.push(pair);
    progress(
      `${name} pair ${i + 1}/${pairs} (${order.join('')}): ` +
        `${a.label} ${pair.a.rps.toFixed(0)} req/s, ${b.label} ${pair.b.rps.toFixed(0)} req/s, ` +
        `ratio ${pair.ratio.toFixed(3)}, cpu/req ratio ${pair.cpuRatio.toFixed(3)}, ` +
        `p99 ${pair.a.p99Ms} / ${pair.b.p99Ms} ms`
    );
  }
  return {
    name,
    labels: { a: a.label, b: b.label },
    pairs: pairResults,
    throughput: ratioSummary(pairResults.map((p) => p.ratio)),
    cpu: ratioSummary(pairResults.map((p) => p.cpuRatio)),
    p99: median(pairResults.map((p) => p.p99Ratio).filter(Number.isFinite)),
    a: sideSummary(pairResults.map((p) => p.a)),
    b: sideSummary(pairResults.map((p) => p.b)),
  };
}
