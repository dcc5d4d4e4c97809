// (b) The tracker's endpoint, POST /api/usage-analytics/track, against GET /_health on the same
// plugin-enabled server, alternated A B B A: how much of the server's bare request capacity the
// tracking endpoint keeps. The pageviews come from TRACK_VISITORS visitors in turn, over the
// popular-entries model, so no visitor exceeds the default rate limit; a row shows the share the
// plugin dropped as rate_limited anyway (the goal is none).
import { runAB } from './lib/ab-runner.mjs';
import { pipelineStats } from './lib/probe.mjs';
import { articleIds, watchPluginLog } from './lib/server.mjs';
import { pageviewRequests } from './lib/traffic.mjs';
import { ratioRow, unavailableRow, valueRow } from './lib/table.mjs';

const BENCHMARK = 'track';
const GOAL = { op: '>=', target: 0.8 };
const RATE_LIMITED_GOAL = { op: '<=', target: 0, text: '0 %' };
const RATIO = 'req/s ratio track ÷ /_health';
const PATH = '/api/usage-analytics/track';

function eventsSeen(stats) {
  const dropped = Object.values(stats.dropped).reduce((sum, n) => sum + n, 0);
  return stats.events.accepted + dropped;
}

export async function trackVsHealth(server, options) {
  const ids = await articleIds(server);
  const base = `http://127.0.0.1:${server.port}`;
  const [probeRequest] = pageviewRequests(PATH, ids);
  const sample = probeRequest.setupRequest({ headers: {} });
  const probe = await fetch(`${base}${PATH}`, {
    method: 'POST',
    headers: sample.headers,
    body: sample.body,
  });
  if (probe.status >= 300) {
    const text = (await probe.text()).slice(0, 80);
    const reason = probe.status === 404 ? '404' : `answers ${probe.status}: ${text}`;
    return { result: null, rows: [unavailableRow(BENCHMARK, RATIO, reason, GOAL)] };
  }
  await probe.body?.cancel();
  let run = 0;
  const track = {
    label: 'track',
    pid: server.pid,
    url: `${base}${PATH}`,
    requests: () => pageviewRequests(PATH, ids, (run += 1)),
  };
  const health = { label: '/_health', pid: server.pid, url: `${base}/_health` };
  const pluginLog = watchPluginLog(server);
  const before = await pipelineStats(server);
  const result = await runAB({ name: BENCHMARK, a: health, b: track, ...options });
  const after = await pipelineStats(server);
  const { a: h, b: t } = result;
  const { lines, problems } = pluginLog();
  result.pluginLog = lines;
  const seen = eventsSeen(after) - eventsSeen(before);
  const rateLimited = after.dropped.rate_limited - before.dropped.rate_limited;
  result.events = { seen, rateLimited, dropped: after.dropped };
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
      valueRow(
        BENCHMARK,
        `events dropped as rate_limited (of ${seen})`,
        seen ? rateLimited / seen : NaN,
        {
          kind: 'percent',
          goal: RATE_LIMITED_GOAL,
        }
      ),
    ],
  };
}
