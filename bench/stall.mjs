// (c) Event-loop stalls: the largest event-loop delay (perf_hooks.monitorEventLoopDelay, read
// through the benchmark's probe) on the plugin-enabled server while one of the plugin's jobs runs
// under read traffic, minus the plugin-disabled server's over an equally long window of the same
// traffic. better-sqlite3 runs every statement on the main thread, so a long statement is a
// stall every request waits for. The traffic has a fixed rate (a site that is not saturated),
// so the baseline's delay is short and a stall shows. Beside it, the most CPU time the server
// used between two 10 ms ticks, on − off: on a shared machine the loop delay also counts the time
// the server was descheduled, this does not. A row passes when every window meets the goal, fails
// when none does, and is inconclusive otherwise.
import { startLoad } from './lib/load.mjs';
import { loopDelay, resetLoopDelay, runJob } from './lib/probe.mjs';
import { articleIds } from './lib/server.mjs';
import { contentReadRequests } from './lib/traffic.mjs';
import { median } from './lib/stats.mjs';
import { valueRow } from './lib/table.mjs';

const BENCHMARK = 'stall';
const GOAL = { op: '<=', target: 20, text: '20 ms' };
// flush: steady traffic, the buffer flushing every second (the rollup's cron may run too).
const JOBS = ['flush', 'rollup', 'compaction', 'dashboard', 'retention'];
const LEAD_MS = 1_000;
const TAIL_MS = 500;
const STEADY_MS = 3_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function target(server) {
  const ids = await articleIds(server);
  let run = 100;
  return {
    pid: server.pid,
    url: `http://127.0.0.1:${server.port}/api/articles/${ids[0]}`,
    requests: () => contentReadRequests(ids, (run += 1)),
  };
}

/** One window on the plugin-enabled server: traffic, the job, traffic. */
async function withJob(server, load, job, rate) {
  await resetLoopDelay(server);
  const started = Date.now();
  const running = startLoad(load, rate);
  await sleep(LEAD_MS);
  const { ms } = await runJob(server, job);
  if (job === 'flush') await sleep(STEADY_MS);
  await sleep(TAIL_MS);
  const run = await running.stop();
  const windowMs = Date.now() - started;
  return { ...(await loopDelay(server)), windowMs, jobMs: ms, requests: run.ok };
}

/** The same traffic on the plugin-disabled server for `windowMs`. */
async function without(server, load, windowMs, rate) {
  await resetLoopDelay(server);
  const running = startLoad(load, rate);
  await sleep(windowMs);
  await running.stop();
  return loopDelay(server);
}

export async function eventLoopStalls(serverOff, serverOn, { repeats, rate, progress = () => {} }) {
  const off = await target(serverOff);
  const on = await target(serverOn);
  const result = {};
  const rows = [];
  for (const job of JOBS) {
    const runs = [];
    for (let i = 0; i < repeats; i += 1) {
      const withIt = await withJob(serverOn, on, job, rate);
      const baseline = await without(serverOff, off, withIt.windowMs, rate);
      const run = {
        ...withIt,
        off: baseline,
        stallMs: withIt.maxMs - baseline.maxMs,
        busyMs: withIt.busyMaxMs - baseline.busyMaxMs,
      };
      runs.push(run);
      progress(
        `stall ${job} ${i + 1}/${repeats}: job ${run.jobMs.toFixed(0)} ms; loop delay max on ` +
          `${run.maxMs.toFixed(1)} ms, off ${baseline.maxMs.toFixed(1)} ms; busy max on ` +
          `${run.busyMaxMs.toFixed(1)} ms, off ${baseline.busyMaxMs.toFixed(1)} ms`
      );
    }
    result[job] = runs;
    const jobMs = Math.round(median(runs.map((r) => r.jobMs)));
    const row = (measure, values) =>
      valueRow(BENCHMARK, measure, median(values), {
        kind: 'ms',
        range: [Math.min(...values), Math.max(...values)],
        goal: GOAL,
        judgeRange: true,
      });
    rows.push(
      row(
        `${job} (job ${jobMs} ms): max loop delay on − off`,
        runs.map((r) => r.stallMs)
      ),
      row(
        `${job}: max CPU between 10 ms ticks on − off`,
        runs.map((r) => r.busyMs)
      )
    );
  }
  return { result, rows };
}
