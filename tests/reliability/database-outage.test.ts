import type { Knex } from 'knex';
import { info, missedGoals } from '../helpers/reliability-figures';
import {
  databaseKnex,
  emptyDatabase,
  registerFirstAdmin,
  startApp,
  storedPaths,
} from '../helpers/reliability-app';
import type { ServerProcess } from '../helpers/server-process';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { acknowledged, percentile, sleep, startLoad, type Sample } from '../helpers/tracking-load';

/**
 * PostgreSQL unreachable for 30 s under load — through a TCP proxy that drops and refuses every
 * connection (the shared server itself keeps running). Requests that need no database keep
 * answering at their usual latency; events accepted during the outage are written after it, up
 * to the buffer bound; what is beyond the bound is dropped, answered as such, counted in the
 * health API and logged.
 */
const PORT = Number(process.env.RELIABILITY_PORT ?? 1490) + 1;
const PROXY_PORT = PORT + 1;
const OUTAGE_MS = Number(process.env.RELIABILITY_OUTAGE_MS ?? 30_000);
const BASELINE_MS = 10_000;
// Small, so that the outage overflows it even on a slow machine.
const MAX_EVENTS = 500;

describe('database outage under load (postgres behind a proxy)', () => {
  let knex: Knex;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    await emptyDatabase('postgres');
    knex = databaseKnex('postgres');
    proxy = await startTcpProxy(PROXY_PORT, { host: '127.0.0.1', port: 5432 });
    server = await startApp(
      PORT,
      'postgres',
      {
        buffer: { maxEvents: MAX_EVENTS },
        rateLimit: { perVisitorPerMinute: 1_000_000 },
        system: { sampleIntervalMs: 2_000 },
      },
      {},
      PROXY_PORT
    );
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await knex?.destroy();
  });

  it('keeps answering, buffers up to the bound, writes after recovery and counts drops', async () => {
    const token = await registerFirstAdmin(server.url);
    const load = startLoad(server.url, {
      concurrency: 6,
      mix: ['track', 'health', 'script'],
      prefix: '/outage',
    });
    await sleep(BASELINE_MS);
    const cutAt = Date.now();
    proxy.cut();
    await sleep(OUTAGE_MS);
    proxy.restore();
    const restoredAt = Date.now();
    // Keep the load on while the buffer drains.
    await sleep(5_000);
    const samples = await load.stop();
    // The backoff is at most 30 s: wait for every kept event to land.
    const acked = acknowledged(samples);
    let stored = await storedPaths(knex, '/outage');
    while (Date.now() - restoredAt < 60_000 && !acked.every((s) => stored.has(s.path!))) {
      await sleep(500);
      stored = await storedPaths(knex, '/outage');
    }
    const caughtUpSeconds = (Date.now() - restoredAt) / 1000;

    const phase = (from: number, to: number) => (s: Sample) => s.t >= from && s.t < to;
    // Every request of the mix needs no database: a pageview is a push into memory.
    const baseline = samples.filter(phase(cutAt - BASELINE_MS + 2_000, cutAt));
    const outage = samples.filter(phase(cutAt, restoredAt));
    const failedDuringOutage = outage.filter((s) => s.status < 200 || s.status >= 300).length;
    const p99 = (list: Sample[]) =>
      percentile(
        list.map((s) => s.ms),
        99
      );
    const lost = acked.filter((s) => !stored.has(s.path!)).length;
    const droppedAnswers = samples.filter((s) => s.dropped === 'buffer_full').length;

    const health = await fetch(`${server.url}/usage-analytics/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const pipeline = ((await health.json()) as { data: { pipeline: { dropped: number } } }).data
      .pipeline;
    // The buffer's write-failure warning says how many events it has dropped so far.
    const logged = /[1-9]\d* dropped/.test(server.output());

    info('database outage', 'outage', `${OUTAGE_MS / 1000} s, buffer.maxEvents ${MAX_EVENTS}`);
    info(
      'database outage',
      'requests during the outage (track, /_health, script.js)',
      String(outage.length)
    );
    // A timing, shown and not judged: on a shared machine both sides are CPU contention.
    info(
      'database outage',
      `p99 latency during the outage, in the ${(BASELINE_MS - 2_000) / 1000} s before`,
      `${p99(outage).toFixed(1)} ms, ${p99(baseline).toFixed(1)} ms`
    );
    const missed = missedGoals('database outage', [
      ['no-database requests failing during the outage', failedDuringOutage, '==', 0],
      ['answered 202 and kept, not stored after recovery', lost, '==', 0],
      ['events dropped at the bound (answered buffer_full)', droppedAnswers, '>=', 1],
      [
        'health API pipeline.dropped − buffer_full answers',
        pipeline.dropped - droppedAnswers,
        '==',
        0,
      ],
      ['drops logged (0/1)', logged ? 1 : 0, '==', 1],
    ]);
    info('database outage', 'database connections refused by the proxy', String(proxy.refused()));
    info('database outage', 'stored after recovery', String(stored.size));
    info(
      'database outage',
      'all kept events stored, after recovery',
      `${caughtUpSeconds.toFixed(1)} s`
    );
    expect((await fetch(`${server.url}/_health`)).status).toBe(204);
    expect(missed).toEqual([]);
  });
});
