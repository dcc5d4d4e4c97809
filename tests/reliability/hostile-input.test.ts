import fc from 'fast-check';
import type { Knex } from 'knex';
import { BROWSER_UA } from '../helpers/content';
import {
  anyString,
  body,
  hostile,
  plausibleBody,
  trackerBody,
  umamiItem,
  validTrackerBody,
} from '../helpers/fuzz-payloads';
import { info, judged } from '../helpers/reliability-figures';
import { databaseKnex, emptyDatabase, startApp } from '../helpers/reliability-app';
import { eventRowProblems } from '../helpers/row-invariants';
import type { ServerProcess } from '../helpers/server-process';
import { sleep } from '../helpers/tracking-load';

/**
 * The fuzz suite's generators (tests/integration/fuzz.test.ts, 10 000 per endpoint in-process)
 * at ≥ 100 000 requests against a real `strapi start` on PostgreSQL (the strictest about what
 * it stores), plus what that suite does not send: prototype-pollution keys, bodies over the
 * limits and deeply nested, unicode edge cases as raw bytes, injection strings in every field,
 * and hostile query strings and headers on the tracker script and the Prometheus endpoint.
 * No 5xx, the process stays up, every stored row passes the row invariants.
 */
const TOTAL = Number(process.env.RELIABILITY_HOSTILE_RUNS ?? 100_000);
const CONCURRENCY = 24;
const PORT = Number(process.env.RELIABILITY_PORT ?? 1490) + 3;
const METRICS_TOKEN = 'reliability-metrics-token';

const injection = fc.constantFrom(
  "'; DROP TABLE ua_events; --",
  "1' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  "' UNION SELECT password FROM admin_users --",
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  '<iframe src=javascript:alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7}',
  '%00%27%22%3Cscript%3E'
);
const unicodeEdge = fc.constantFrom(
  '\uFEFF',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uD83D',
  '\u202E\u202D',
  '\u200B\u200C\u200D',
  'e\u0301'.repeat(500),
  '𝕳'.repeat(1000),
  '\uFFFF\uFFFE',
  '\u2028\u2029'
);
const edgeString = fc.oneof(injection, unicodeEdge, hostile, anyString);
const pollutionKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString'
);

/** JSON text with prototype-pollution keys placed where parsers and merges look. */
const pollution = fc
  .tuple(
    fc.constantFrom('track', 'plausible', 'umami'),
    pollutionKey,
    edgeString,
    fc.constantFrom('pageview', 'event')
  )
  .map(([shape, key, value, type]) => {
    const polluted = `{"${key}":{"polluted":${JSON.stringify(value)},"prototype":{"x":1}}}`;
    if (shape === 'track')
      return `{"type":"${type}","name":"n","url":"https://site.example/p","${key}":${polluted},"props":${polluted}}`;
    if (shape === 'plausible')
      return `{"n":"${type}","u":"https://site.example/p","d":"site.example","${key}":${polluted},"p":${polluted},"m":${polluted}}`;
    return `{"type":"event","payload":{"website":"00000000-0000-4000-8000-000000000000","url":"/p","${key}":${polluted},"data":${polluted}}}`;
  });
/** Bodies over the limits, deeply nested, or not UTF-8. */
const oversized = fc.oneof(
  fc
    .integer({ min: 8_193, max: 70_000 })
    .map((n) => `{"type":"pageview","url":"https://x/${'a'.repeat(n)}"}`),
  fc.integer({ min: 100, max: 4_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 100, max: 2_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc
    .integer({ min: 31, max: 500 })
    .map(
      (n) =>
        `{"type":"event","name":"e","url":"https://x/","props":{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}}`
    )
);
/** Every field of a valid event, one at a time, replaced by an edge string or a wrong type. */
const wrongTyped = fc
  .tuple(
    fc.constantFrom(
      'type',
      'url',
      'referrer',
      'name',
      'props',
      'contentType',
      'documentId',
      'locale',
      'engagedMs'
    ),
    fc.oneof(
      edgeString,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(edgeString, { maxLength: 3 }),
      fc.dictionary(edgeString, edgeString, { maxKeys: 3 })
    )
  )
  .map(([field, value]) =>
    JSON.stringify({
      type: 'event',
      name: 'signup',
      url: 'https://site.example/a?utm_source=x',
      referrer: 'https://ref.example/',
      contentType: 'api::article.article',
      documentId: 'abcdefghijklmnopqrstuvwx',
      locale: 'en',
      [field]: value,
    })
  );
/** Raw bytes: invalid UTF-8, a BOM, overlong encodings, control bytes. */
const rawBytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"type":"pageview","url":"https://x/"}')]),
    Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xff, 0xfe]),
    Buffer.from('{"type":"pageview","url":"https://x/\xed\xa0\x80"}', 'latin1')
  )
);

type Request = { path: string; init: RequestInit };
const post = (
  path: string,
  payload: string | Buffer,
  contentType = 'text/plain',
  ip = '192.0.2.1'
): Request => ({
  path,
  init: {
    method: 'POST',
    body: payload,
    headers: { 'content-type': contentType, 'user-agent': BROWSER_UA, 'x-forwarded-for': ip },
  },
});
/** Percent-encodes every byte (lone surrogates become U+FFFD), sometimes with broken escapes. */
const pct = (s: string) =>
  [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') +
  (s.length % 3 === 0 ? '%E0%A4%A' : s.length % 3 === 1 ? '%C0%AF%' : '');
/** Header values fetch can send (Latin-1, no CR/LF): hostile, but valid on the wire. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff]/g, '?').slice(0, 4000);

const ENDPOINTS = {
  track: '/api/usage-analytics/track',
  plausible: '/api/usage-analytics/plausible/api/event',
  umamiSend: '/api/usage-analytics/umami/api/send',
  umamiBatch: '/api/usage-analytics/umami/api/batch',
};
const generated = (path: string, structured: fc.Arbitrary<unknown>) =>
  body(structured).map((s) => post(path, s.payload, s.contentType, s.ip));
const extras = fc.oneof(pollution, oversized, wrongTyped, rawBytes);

/** The mix: [share of TOTAL, generator]. */
const MIX: Array<[string, number, fc.Arbitrary<Request>]> = [
  ['track', 0.2, generated(ENDPOINTS.track, fc.oneof(trackerBody, validTrackerBody))],
  ['plausible', 0.15, generated(ENDPOINTS.plausible, plausibleBody)],
  ['umami send', 0.12, generated(ENDPOINTS.umamiSend, umamiItem)],
  ['umami batch', 0.08, generated(ENDPOINTS.umamiBatch, fc.array(umamiItem, { maxLength: 12 }))],
  [
    'edge bodies (all four)',
    0.3,
    fc
      .tuple(
        fc.constantFrom(...Object.values(ENDPOINTS)),
        extras,
        fc.constantFrom(
          'text/plain',
          'application/json',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x'
        )
      )
      .map(([path, payload, type]) => post(path, payload, type)),
  ],
  [
    'script.js',
    0.075,
    fc.tuple(edgeString, edgeString).map(([q, etag]) => ({
      path: `/api/usage-analytics/script.js?${pct(q)}=${pct(q)}`,
      init: { headers: { 'if-none-match': headerSafe(etag), 'accept-encoding': headerSafe(q) } },
    })),
  ],
  [
    'metrics',
    0.075,
    fc
      .tuple(edgeString, fc.constantFrom('Bearer ', 'bearer ', 'Basic ', '', 'Bearer  '))
      .map(([token, scheme]) => ({
        path: `/api/usage-analytics/metrics?${pct(token)}`,
        init: { headers: { authorization: headerSafe(scheme + token) } },
      })),
  ],
];

describe(`hostile input: ${TOTAL} requests across every public endpoint (postgres)`, () => {
  let server: ServerProcess;
  let knex: Knex;
  beforeAll(async () => {
    await emptyDatabase('postgres');
    knex = databaseKnex('postgres');
    server = await startApp(PORT, 'postgres', {
      rateLimit: { perVisitorPerMinute: 10_000_000 },
      metrics: { enabled: true, token: METRICS_TOKEN },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await knex?.destroy();
  });

  it('answers no 5xx, stays up and stores only valid rows', async () => {
    const byEndpoint: Record<string, Record<number, number>> = {};
    const failures: string[] = [];
    let sent = 0;
    for (const [name, share, arbitrary] of MIX) {
      const count = Math.round(TOTAL * share);
      const counts: Record<number, number> = {};
      // Generated in chunks: some bodies are tens of kilobytes.
      let requests: Request[] = [];
      let next = 0;
      let done = 0;
      const take = () => {
        if (next >= requests.length) {
          if (done >= count) return null;
          requests = fc.sample(arbitrary, Math.min(2_000, count - done));
          done += requests.length;
          next = 0;
        }
        return requests[next++];
      };
      const worker = async () => {
        for (let request = take(); request; request = take()) {
          let status = 0;
          try {
            const res = await fetch(server.url + request.path, request.init);
            await res.arrayBuffer();
            status = res.status;
          } catch (error) {
            // A connection the server dropped: a crash, or a request Node itself refused.
            failures.push(
              `${name}: no answer (${(error as Error).message}) ← ${String(request.init.body ?? request.path).slice(0, 200)}`
            );
          }
          counts[status] = (counts[status] ?? 0) + 1;
          if (status >= 500 && failures.length < 20)
            failures.push(
              `${name}: ${status} ← ${String(request.init.body ?? request.path).slice(0, 200)}`
            );
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      byEndpoint[name] = counts;
      sent += done;
    }
    console.log(`hostile input status counts: ${JSON.stringify(byEndpoint)}`);
    // Let the last flush land (1 s interval).
    await sleep(2_500);
    const rows = await knex('ua_events').select('*');
    const problems = rows.flatMap(eventRowProblems);
    const fiveXx = Object.values(byEndpoint)
      .flatMap((c) => Object.entries(c))
      .filter(([s]) => Number(s) >= 500 || Number(s) === 0)
      .reduce((sum, [, n]) => sum + n, 0);
    const up = (await fetch(`${server.url}/_health`)).status === 204;
    const refused = (server.output().match(/the database refused/g) ?? []).length;

    info('hostile input', 'rows stored', rows.length.toLocaleString('en-US'));
    const results = [
      judged('hostile input', 'requests sent', sent, '>=', 100_000),
      judged('hostile input', '5xx or no answer', fiveXx, '==', 0),
      judged('hostile input', 'server down afterwards (0/1)', up ? 0 : 1, '==', 0),
      judged('hostile input', 'stored rows breaking the invariants', problems.length, '==', 0),
      judged('hostile input', 'rows the database refused', refused, '==', 0),
    ];
    expect(failures.slice(0, 10)).toEqual([]);
    expect(problems.slice(0, 5)).toEqual([]);
    expect(rows.length).toBeGreaterThan(TOTAL / 20);
    expect(results).toEqual(results.map(() => true));
  });
});
