// (d) The first-party tracker's size on the wire: GET /api/usage-analytics/script.js, raw and
// gzipped at level 9.
import zlib from 'node:zlib';
import { unavailableRow, valueRow } from './lib/table.mjs';

const BENCHMARK = 'tracker-size';
const GOAL = { op: '<', target: 1536, text: '1.5 KB (1,536 B)' };

export async function trackerSize(server) {
  const url = `http://127.0.0.1:${server.port}/api/usage-analytics/script.js`;
  const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  if (res.status !== 200) {
    await res.body?.cancel();
    const reason = res.status === 404 ? '404' : `answers ${res.status}`;
    return { result: null, rows: [unavailableRow(BENCHMARK, 'script.js gzip -9', reason, GOAL)] };
  }
  const raw = Buffer.from(await res.arrayBuffer());
  const gzipped = zlib.gzipSync(raw, { level: 9 });
  const result = {
    url,
    contentType: res.headers.get('content-type'),
    raw: raw.length,
    gzip: gzipped.length,
  };
  return {
    result,
    rows: [
      valueRow(BENCHMARK, 'script.js raw', raw.length, { kind: 'bytes' }),
      valueRow(BENCHMARK, 'script.js gzip -9', gzipped.length, { kind: 'bytes', goal: GOAL }),
    ],
  };
}
