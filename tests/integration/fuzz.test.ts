import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { BROWSER_UA, flushPlugin } from '../helpers/content';
import { eventRowProblems } from '../helpers/row-invariants';
import { bootApp, DB_CLIENT, type TestApp } from '../helpers/strapi';

/**
 * Property-based input tests: generated payloads (random JSON, mutated valid events, raw text,
 * hostile strings) against every public endpoint over real HTTP. No answer may be a 5xx, and every
 * row stored must be valid — on every database (PostgreSQL refuses what SQLite stores, e.g. NUL).
 * FUZZ_RUNS sets the count per endpoint (default 10 000).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const CONCURRENCY = 16;

const hostile = fc.constantFrom(
  "' OR 1=1 --",
  '"; DROP TABLE ua_events; --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '__proto__',
  'constructor',
  '\u0000',
  '\uD800',
  '\u202E',
  '😀'.repeat(600),
  'x'.repeat(5000),
  '../../etc/passwd',
  'javascript:alert(1)',
  'data:text/html,x',
  '',
  ' '
);
const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  hostile
);
const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constant('https://example.com/a?utm_source=x&utm_campaign=%F0%9F%98%80'),
  anyString
);
const scalar = fc.oneof(anyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const props = fc.oneof(
  fc.dictionary(anyString, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 40 }),
  anyString,
  scalar
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const uid = fc.oneof(
  fc.constantFrom('api::article.article', 'api::page.page', 'api::nope.nope'),
  anyString
);
const uuid = fc.oneof(fc.uuid(), anyString);

const trackerBody = fc.record(
  {
    type: fc.oneof(fc.constantFrom('pageview', 'event', 'engagement'), anyString),
    url: urlish,
    referrer: maybe(fc.oneof(urlish, fc.constant(null))),
    name: maybe(anyString),
    props: maybe(props),
    contentType: maybe(uid),
    documentId: maybe(fc.oneof(fc.stringMatching(/^[a-z0-9]{24}$/), anyString)),
    locale: maybe(fc.oneof(fc.constantFrom('en', 'fr', 'fr-CA'), anyString)),
    engagedMs: maybe(fc.oneof(fc.integer(), fc.double(), anyString)),
    scrollDepth: maybe(fc.oneof(fc.integer({ min: -10, max: 200 }), anyString)),
  },
  { requiredKeys: [] }
);
// Well-formed tracker events with hostile values, so the accepting path is fuzzed too.
const entry = fc.oneof(
  fc.constant({}),
  fc.record({
    contentType: fc.constantFrom('api::article.article', 'api::page.page'),
    documentId: fc.stringMatching(/^[a-z0-9]{24}$/),
    locale: fc.constantFrom('en', 'fr'),
  })
);
const validTrackerBody = fc
  .tuple(
    fc.constantFrom('pageview', 'event', 'engagement'),
    fc.webUrl({ withQueryParameters: true }),
    entry
  )
  .chain(([type, url, ref]) =>
    fc
      .record({
        type: fc.constant(type),
        url: fc.constant(url),
        referrer: fc.oneof(fc.constant(null), urlish),
        ...(type === 'event'
          ? { name: fc.string({ minLength: 1, maxLength: 120 }), props: props }
          : {}),
        ...(type === 'engagement'
          ? {
              engagedMs: fc.integer({ min: 0, max: 86_400_000 }),
              scrollDepth: fc.integer({ min: 0, max: 100 }),
            }
          : {}),
      })
      .map((body) => ({ ...body, ...ref }))
  );
const plausibleBody = fc.record(
  {
    n: fc.oneof(fc.constantFrom('pageview', 'engagement', 'Signup'), anyString, fc.integer()),
    u: urlish,
    d: maybe(fc.oneof(fc.constantFrom('example.com', 'a.com,b.com'), anyString)),
    r: maybe(fc.oneof(urlish, fc.constant(null))),
    p: maybe(props),
    m: maybe(props),
    h: maybe(fc.oneof(fc.constant(1), scalar)),
    i: maybe(scalar),
    sd: maybe(fc.oneof(fc.integer({ min: -5, max: 500 }), anyString)),
    e: maybe(fc.oneof(fc.integer(), fc.constant(3_000_000_000), anyString)),
    $: maybe(fc.oneof(fc.record({ amount: scalar, currency: anyString }), anyString)),
  },
  { requiredKeys: [] }
);
const umamiItem = fc.record(
  {
    type: fc.oneof(fc.constantFrom('event', 'identify', 'performance'), anyString),
    payload: fc.oneof(
      fc.record(
        {
          website: uuid,
          hostname: maybe(anyString),
          url: maybe(urlish),
          referrer: maybe(urlish),
          name: maybe(anyString),
          data: maybe(props),
          screen: maybe(anyString),
          language: maybe(anyString),
          title: maybe(anyString),
          lcp: maybe(fc.double()),
        },
        { requiredKeys: [] }
      ),
      scalar
    ),
  },
  { requiredKeys: [] }
);

const body = (structured: fc.Arbitrary<unknown>) =>
  fc.record({
    payload: fc.oneof(
      { weight: 6, arbitrary: structured.map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 1, arbitrary: structured.map((v) => JSON.stringify(v).slice(0, -3)) }
    ),
    contentType: fc.constantFrom('text/plain', 'application/json', 'text/plain;charset=UTF-8'),
    dnt: fc.boolean(),
    ip: fc.ipV4(),
  });

describe(`fuzzing the public endpoints (${RUNS} payloads each)`, () => {
  let app: TestApp;
  let knex: Knex;
  let base: string;
  const statuses: Record<string, Record<number, number>> = {};

  beforeAll(async () => {
    app = await bootApp({
      env: { TRUST_PROXY: 'true' },
      pluginConfig: { rateLimit: { perVisitorPerMinute: 100_000 } },
    });
    knex = app.strapi.db.connection as unknown as Knex;
    await new Promise<void>((resolve) =>
      app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve)
    );
    base = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    console.log(`fuzz status counts (${DB_CLIENT}): ${JSON.stringify(statuses)}`);
    await app?.stop();
  });

  const endpoints: Array<[string, fc.Arbitrary<unknown>]> = [
    ['/api/usage-analytics/track', fc.oneof(trackerBody, validTrackerBody)],
    ['/api/usage-analytics/plausible/api/event', plausibleBody],
    ['/api/usage-analytics/umami/api/send', umamiItem],
    ['/api/usage-analytics/umami/api/batch', fc.array(umamiItem, { maxLength: 12 })],
  ];

  it.each(endpoints)(
    '%s never answers 5xx and stores only valid rows',
    async (path, structured) => {
      const samples = fc.sample(body(structured), RUNS);
      const counts: Record<number, number> = {};
      const failures: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < samples.length) {
          const sample = samples[next++];
          const res = await fetch(base + path, {
            method: 'POST',
            body: sample.payload,
            headers: {
              'content-type': sample.contentType,
              'user-agent': BROWSER_UA,
              'x-forwarded-for': sample.ip,
              ...(sample.dnt ? { dnt: '1' } : {}),
            },
          });
          await res.arrayBuffer();
          counts[res.status] = (counts[res.status] ?? 0) + 1;
          if (res.status >= 500 && failures.length < 5)
            failures.push(`${res.status} ← ${sample.payload.slice(0, 300)}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      statuses[path] = counts;
      expect(failures).toEqual([]);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(RUNS);
      // Both outcomes occur: the generators reach valid and invalid input alike.
      expect(Object.keys(counts).some((s) => Number(s) < 300)).toBe(true);

      await flushPlugin(app);
      const pipeline = app.strapi.plugin('usage-analytics').service('event-pipeline').stats();
      expect(pipeline.events.rejected).toBe(0);
      const rows = await knex('ua_events').select('*');
      const problems = rows.flatMap(eventRowProblems);
      expect(problems.slice(0, 5)).toEqual([]);
    }
  );

  it('leaves the rest of Strapi answering', async () => {
    expect((await fetch(`${base}/_health`)).status).toBe(204);
    expect((await fetch(`${base}/api/articles`)).status).toBe(200);
  });
});
