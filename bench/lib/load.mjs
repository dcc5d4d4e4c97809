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

/**
 * Runs `target` ({ pid, url, method?, headers?, body? }) for `seconds` and returns
 * { rps, ok, completed, non2xx, errors, seconds, cpuSeconds, cpuPerRequest }, where rps counts
 * 2xx responses and cpuPerRequest is the server's utime+stime divided by 2xx responses.
 */
export async function loadRun(target, seconds) {
  const cpuBefore = processCpuSeconds(target.pid);
  const result = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  await sleep(SETTLE_MS);
  const cpuSeconds = processCpuSeconds(target.pid) - cpuBefore;
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    ok,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
    cpuSeconds,
    cpuPerRequest: ok ? cpuSeconds / ok : NaN,
  };
}
