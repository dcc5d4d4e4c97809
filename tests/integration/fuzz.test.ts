import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { BROWSER_UA, flushPlugin } from '../helpers/content';
import {
  body,
  plausibleBody,
  trackerBody,
  umamiItem,
  validTrackerBody,
} from '../helpers/fuzz-payloads';
import { eventRowProblems } from '../helpers/row-invariants';
import { bootApp, DB_CLIENT, type TestApp } from '../helpers/strapi';
import { eventRows } from '../helpers/aggregates';

/**
 * Property-based input tests: generated payloads (random JSON, mutated valid events, raw text,
 * hostile strings) against every public endpoint over real HTTP. No answer may be a 5xx, and every
 * row stored must be valid — on every database (PostgreSQL refuses what SQLite stores, e.g. NUL).
 * FUZZ_RUNS sets the count per endpoint (default 10 000).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const CONCURRENCY = 16;

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
    // fetch keeps its connections open between requests; a server closing an idle one (after
    // Node's 5 s default) just as the next request goes out answers ECONNRESET on a loaded machine.
    app.strapi.server.httpServer.keepAliveTimeout = 120_000;
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
      const rows = await eventRows(knex).select('*');
      const problems = rows.flatMap(eventRowProblems);
      expect(problems.slice(0, 5)).toEqual([]);
    }
  );

  it('leaves the rest of Strapi answering', async () => {
    expect((await fetch(`${base}/_health`)).status).toBe(204);
    expect((await fetch(`${base}/api/articles`)).status).toBe(200);
  });
});
