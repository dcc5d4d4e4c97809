// Calls a benchmark server's probe (bench/lib/server-probe.cjs, preloaded by startServer).

async function call(server, method, route) {
  const res = await fetch(`http://127.0.0.1:${server.probePort}${route}`, { method });
  const body = await res.json();
  if (res.status !== 200) {
    throw new Error(`probe ${method} ${route} on ${server.name}: ${body.error ?? res.status}`);
  }
  return body;
}

/** Forgets the event loop's delays measured so far. */
export const resetLoopDelay = (server) => call(server, 'POST', '/loop/reset');

/** { maxMs, p99Ms, meanMs } of the event loop's delay since the last reset. */
export const loopDelay = (server) => call(server, 'GET', '/loop');

/** Creates and publishes `count` more articles. */
export const seedArticles = (server, count) => call(server, 'POST', `/seed?articles=${count}`);

/** Runs a plugin job (flush, rollup, compaction, dashboard, retention): { ms, result }. */
export const runJob = (server, job) => call(server, 'POST', `/job/${job}`);

/** The plugin's event-pipeline counters ({ enabled: false } on a plugin-less server). */
export const pipelineStats = (server) => call(server, 'GET', '/pipeline');

/** On SQLite, time inside database statements since `resetSqlTimes` (server-probe.cjs). */
export const resetSqlTimes = (server) => call(server, 'POST', '/sql/reset');
export const sqlTimes = (server) => call(server, 'GET', '/sql');
