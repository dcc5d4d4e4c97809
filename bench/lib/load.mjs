// One load run with autocannon (in this process, which run.mjs pins to CPU 1), with the CPU time
// the server process spent during it read from /proc before and after.
import autocannon from 'autocannon';
import { processCpuSeconds } from './cpu.mjs';

export const CONNECTIONS = 20;

/** A desktop browser's User-Agent (not containing "Headless", which bot filters drop). */
export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Chrome/126.0.0.0 Safari/537.36';

// Lets in-flight requests finish before the server's CPU time is read again.
const SETTLE_MS = 100;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function options(target, seconds, rate) {
  return {
    ...(rate ? { overallRate: rate } : {}),
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    // A function per target (traffic.mjs) so every run continues the target's own sequence.
    requests: target.requests?.(),
    connections: CONNECTIONS,
    duration: seconds,
  };
}

function summary(result, cpuSeconds) {
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    ok,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
    p99Ms: result.latency.p99,
    cpuSeconds,
    cpuPerRequest: ok ? cpuSeconds / ok : NaN,
  };
}

/**
 * Runs `target` ({ pid, url, method?, headers?, body?, requests? }) for `seconds` and returns
 * { rps, ok, completed, non2xx, errors, seconds, p99Ms, cpuSeconds, cpuPerRequest }, where rps
 * counts 2xx responses and cpuPerRequest is the server's utime+stime divided by 2xx responses.
 */
export async function loadRun(target, seconds) {
  const cpuBefore = processCpuSeconds(target.pid);
  const result = await autocannon(options(target, seconds));
  await sleep(SETTLE_MS);
  return summary(result, processCpuSeconds(target.pid) - cpuBefore);
}

/**
 * Starts `target`'s load with no end, at most `rate` requests a second when given; `stop()` ends
 * it and resolves to the same summary as loadRun.
 */
export function startLoad(target, rate) {
  const cpuBefore = processCpuSeconds(target.pid);
  let instance;
  const done = new Promise((resolve, reject) => {
    instance = autocannon(options(target, 3600, rate), (error, result) =>
      error ? reject(error) : resolve(result)
    );
  });
  return {
    async stop() {
      instance.stop();
      const result = await done;
      await sleep(SETTLE_MS);
      return summary(result, processCpuSeconds(target.pid) - cpuBefore);
    },
  };
}
