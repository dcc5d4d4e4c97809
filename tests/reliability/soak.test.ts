import fs from 'node:fs';
import { BROWSER_UA } from '../helpers/content';
import { info, missedGoals } from '../helpers/reliability-figures';
import { emptyDatabase, registerFirstAdmin, startApp } from '../helpers/reliability-app';
import type { ServerProcess } from '../helpers/server-process';
import { sleep } from '../helpers/tracking-load';
import type { HealthResponse } from '../../shared/contracts/health';
import { DAY_MS, MINUTE_MS, isoDay } from '../../shared/time';

/**
 * The soak (`npm run soak`, not part of the suite in CI): SOAK_MINUTES (10) of mixed traffic —
 * pageviews, custom events, Plausible and Umami events, Content API reads, the tracker script and
 * health checks — against one `strapi start` on PostgreSQL. After a warm-up (the first fifth),
 * resident memory may grow by less than 10 %, with the overview read every 10 s meanwhile (its
 * results kept in memory are part of what is soaked) and the rollup running on its schedule;
 * every accepted event is written, none dropped.
 */
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const PORT = Number(process.env.RELIABILITY_PORT ?? 1490);
const MAX_EVENTS = 50_000;

const rssBytes = (pid: number) => {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(line![1]) * 1024;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe(`soak: ${MINUTES} minutes of mixed traffic (postgres)`, () => {
  let server: ServerProcess;
  beforeAll(async () => {
    await emptyDatabase('postgres');
    server = await startApp(
      PORT,
      'postgres',
      { rateLimit: { perVisitorPerMinute: 1_000_000 }, buffer: { maxEvents: MAX_EVENTS } },
      { SEED_CONTENT: 'true' }
    );
  });
  afterAll(() => server?.stop());

  it('keeps memory flat and writes every accepted event', async () => {
    const token = await registerFirstAdmin(server.url);
    const listed = await fetch(`${server.url}/api/articles?pagination[pageSize]=50`);
    const articles = ((await listed.json()) as { data: Array<{ documentId: string }> }).data;
    const deadline = Date.now() + MINUTES * MINUTE_MS;
    const warmUpEnd = Date.now() + (MINUTES * MINUTE_MS) / 5;
    const rss: Array<{ t: number; bytes: number }> = [];
    let maxPending = 0;
    let overviews = 0;
    let overviewErrors = 0;
    let requests = 0;
    let errors = 0;

    const send = async (i: number) => {
      const ip = `198.51.100.${i % 250}`;
      const headers = { 'user-agent': BROWSER_UA, 'x-forwarded-for': ip };
      const article = articles[i % articles.length];
      const post = (path: string, body: unknown) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'text/plain' },
          body: JSON.stringify(body),
        });
      const kind = i % 8;
      const res =
        kind === 0
          ? await fetch(`${server.url}/api/articles/${article.documentId}`, { headers })
          : kind === 1
            ? await fetch(`${server.url}/api/usage-analytics/script.js`)
            : kind === 2
              ? await fetch(`${server.url}/_health`)
              : kind === 3
                ? await post('/api/usage-analytics/plausible/api/event', {
                    n: 'pageview',
                    u: `https://site.example/p/${i % 500}`,
                    d: 'site.example',
                  })
                : kind === 4
                  ? await post('/api/usage-analytics/umami/api/send', {
                      type: 'event',
                      payload: {
                        website: '00000000-0000-4000-8000-000000000000',
                        url: `/u/${i % 500}`,
                        name: i % 2 ? 'click' : undefined,
                      },
                    })
                  : kind === 5
                    ? await post('/api/usage-analytics/track', {
                        type: 'event',
                        name: `e${i % 20}`,
                        url: `https://site.example/p/${i % 500}`,
                        props: { n: i % 7 },
                      })
                    : await post('/api/usage-analytics/track', {
                        type: 'pageview',
                        url: `https://site.example/p/${i % 500}`,
                        contentType: 'api::article.article',
                        documentId: article.documentId,
                        locale: 'en',
                      });
      await res.arrayBuffer();
      requests += 1;
      if (res.status >= 500) errors += 1;
    };

    let seq = 0;
    const workers = Array.from({ length: 4 }, async () => {
      while (Date.now() < deadline) await send((seq += 1));
    });
    const sampler = (async () => {
      while (Date.now() < deadline) {
        rss.push({ t: Date.now(), bytes: rssBytes(server.pid) });
        const health = await fetch(`${server.url}/usage-analytics/health`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const p = ((await health.json()) as HealthResponse).data.pipeline;
        maxPending = Math.max(maxPending, p.accepted - p.flushed - p.dropped);
        const day = (ms: number) => isoDay(ms);
        const overview = await fetch(
          `${server.url}/usage-analytics/overview?from=${day(Date.now() - 29 * DAY_MS)}&to=${day(Date.now())}`,
          { headers: { authorization: `Bearer ${token}` } }
        );
        await overview.arrayBuffer();
        overviews += 1;
        if (overview.status !== 200) overviewErrors += 1;
        await sleep(10_000);
      }
    })();
    await Promise.all([...workers, sampler]);
    // The last flush (one interval) and the pipeline's counters once the load has stopped.
    await sleep(3_000);
    const final = await fetch(`${server.url}/usage-analytics/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const pipeline = ((await final.json()) as HealthResponse).data.pipeline;

    const afterWarmUp = rss.filter((s) => s.t >= warmUpEnd);
    const window = Math.max(1, Math.round(afterWarmUp.length / 5));
    const start = mean(afterWarmUp.slice(0, window).map((s) => s.bytes));
    const end = mean(afterWarmUp.slice(-window).map((s) => s.bytes));
    const growth = ((end - start) / start) * 100;
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    info(
      'soak',
      'duration, requests',
      `${MINUTES} min, ${requests.toLocaleString('en-US')} requests`
    );
    info('soak', 'RSS after warm-up → at the end', `${mb(start)} → ${mb(end)}`);
    info('soak', 'most events buffered at once (sampled every 10 s)', String(maxPending));
    info('soak', 'overview reads', String(overviews));
    expect(
      missedGoals('soak', [
        ['RSS growth after warm-up', growth, '<', 10, '%'],
        ['5xx answers', errors, '==', 0],
        ['overview reads not answered 200', overviewErrors, '==', 0],
        ['events dropped', pipeline.dropped, '==', 0],
        [
          'accepted events not written at the end',
          pipeline.accepted - pipeline.flushed - pipeline.dropped,
          '==',
          0,
        ],
      ])
    ).toEqual([]);
  });
});
