// (a) Content API read of one document, GET /api/articles/:documentId: plugin enabled ÷ plugin
// disabled, and before it the same comparison between two identical plugin-disabled servers (A/A)
// to show the noise floor of the method.
import { runAB } from './lib/ab-runner.mjs';
import { BROWSER_UA } from './lib/load.mjs';
import { firstArticle, watchPluginLog } from './lib/server.mjs';
import { ratioRow, valueRow } from './lib/table.mjs';

const BENCHMARK = 'api-read';
const THROUGHPUT_GOAL = { op: '>=', target: 0.98 };
const CPU_GOAL = { op: '<=', target: 1.02 };

async function readTarget(server, label) {
  const article = await firstArticle(server);
  const url = `http://127.0.0.1:${server.port}/api/articles/${article.documentId}`;
  const res = await fetch(url, { headers: { 'user-agent': BROWSER_UA } });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return {
    label,
    pid: server.pid,
    url,
    headers: { 'user-agent': BROWSER_UA },
    title: article.title,
  };
}

async function compare(name, serverA, serverB, labels, options) {
  const a = await readTarget(serverA, labels[0]);
  const b = await readTarget(serverB, labels[1]);
  if (a.title !== b.title) throw new Error(`${name}: the servers serve different articles`);
  return runAB({ name, a, b, ...options });
}

/** A/A: two plugin-disabled servers, rows for the throughput and CPU-per-request ratios. */
export async function apiReadNoiseFloor(serverA, serverB, options) {
  const name = `${BENCHMARK} A/A`;
  const result = await compare(name, serverA, serverB, ['off₁', 'off₂'], options);
  const contains1 = { op: 'contains', target: 1 };
  const check = { sides: [result.a, result.b] };
  return {
    result,
    rows: [
      ratioRow(name, 'req/s ratio off₂ ÷ off₁', result.throughput, contains1, check),
      ratioRow(name, 'CPU/request ratio off₂ ÷ off₁', result.cpu, contains1, check),
    ],
  };
}

/** A/B: plugin disabled (baseline) and enabled. */
export async function apiReadPluginCost(serverOff, serverOn, options) {
  const pluginLog = watchPluginLog(serverOn);
  const result = await compare(BENCHMARK, serverOff, serverOn, ['off', 'on'], options);
  const { a: off, b: on } = result;
  const { lines, problems } = pluginLog();
  result.pluginLog = lines;
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
      ratioRow(BENCHMARK, 'req/s ratio on ÷ off', result.throughput, THROUGHPUT_GOAL, check),
      valueRow(BENCHMARK, 'CPU/request plugin off', off.cpuMicrosPerRequest, { kind: 'micros' }),
      valueRow(BENCHMARK, 'CPU/request plugin on', on.cpuMicrosPerRequest, { kind: 'micros' }),
      ratioRow(BENCHMARK, 'CPU/request ratio on ÷ off', result.cpu, CPU_GOAL, check),
    ],
  };
}
