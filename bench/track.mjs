// (b) The tracker's endpoint, POST /api/usage-analytics/track, against GET /_health on the same
// plugin-enabled server, alternated A B B A: how much of the server's bare request capacity the
// tracking endpoint keeps.
import { runAB } from './lib/ab-runner.mjs';
import { BROWSER_UA } from './lib/load.mjs';
import { firstArticle, watchPluginLog } from './lib/server.mjs';
import { ratioRow, unavailableRow, valueRow } from './lib/table.mjs';

const BENCHMARK = 'track';
const GOAL = { op: '>=', target: 0.8 };
const RATIO = 'req/s ratio track ÷ /_health';

/** The body a tracker sends on a pageview: text/plain JSON (no CORS preflight). */
export function pageviewBody(documentId) {
  return JSON.stringify({
    type: 'pageview',
    url: 'https://example.com/blog/post-1?utm_source=news',
    referrer: 'https://www.google.com/',
    contentType: 'api::article.article',
    documentId,
    locale: 'en',
  });
}

export async function trackVsHealth(server, options) {
  const { documentId } = await firstArticle(server);
  const base = `http://127.0.0.1:${server.port}`;
  const track = {
    label: 'track',
    pid: server.pid,
    url: `${base}/api/usage-analytics/track`,
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
    body: pageviewBody(documentId),
  };
  const probe = await fetch(track.url, {
    method: 'POST',
    headers: track.headers,
    body: track.body,
  });
  if (probe.status >= 300) {
    const text = (await probe.text()).slice(0, 80);
    const reason = probe.status === 404 ? '404' : `answers ${probe.status}: ${text}`;
    return { result: null, rows: [unavailableRow(BENCHMARK, RATIO, reason, GOAL)] };
  }
  await probe.body?.cancel();
  const health = { label: '/_health', pid: server.pid, url: `${base}/_health` };
  const pluginLog = watchPluginLog(server);
  const result = await runAB({ name: BENCHMARK, a: health, b: track, ...options });
  const { a: h, b: t } = result;
  const { lines, problems } = pluginLog();
  result.pluginLog = lines;
  return {
    result,
    rows: [
      valueRow(BENCHMARK, 'req/s GET /_health (median, range)', h.medianRps, {
        range: [h.minRps, h.maxRps],
      }),
      valueRow(BENCHMARK, 'req/s POST track (median, range)', t.medianRps, {
        range: [t.minRps, t.maxRps],
      }),
      ratioRow(BENCHMARK, RATIO, result.throughput, GOAL, { sides: [h, t], problems }),
      valueRow(BENCHMARK, 'CPU/request GET /_health', h.cpuMicrosPerRequest, { kind: 'micros' }),
      valueRow(BENCHMARK, 'CPU/request POST track', t.cpuMicrosPerRequest, { kind: 'micros' }),
    ],
  };
}
