import type { Knex } from 'knex';
import { info, missedGoals } from '../helpers/reliability-figures';
import { databaseKnex, emptyDatabase, startApp, storedPaths } from '../helpers/reliability-app';
import { acknowledged, sleep, startLoad } from '../helpers/tracking-load';

/**
 * SIGTERM and SIGKILL under sustained tracking load, on PostgreSQL: every pageview answered 202
 * must be in the database after a graceful shutdown; after a crash, at most what was accepted in
 * the last flush interval may be missing.
 */
const PORT = Number(process.env.RELIABILITY_PORT ?? 1490);
const LOAD_MS = 8_000;
const FLUSH_MS = 1_000;
const config = {
  flush: { intervalMs: FLUSH_MS },
  rateLimit: { perVisitorPerMinute: 1_000_000 },
  system: { sampleIntervalMs: 1_000 },
};

describe('shutdown and crash under tracking load (postgres)', () => {
  let knex: Knex;
  beforeAll(async () => {
    await emptyDatabase('postgres');
    knex = databaseKnex('postgres');
  });
  afterAll(() => knex?.destroy());

  it('SIGTERM: every event answered 202 is stored (0 lost)', async () => {
    const server = await startApp(PORT, 'postgres', config);
    const load = startLoad(server.url, { concurrency: 8, prefix: '/sigterm' });
    await sleep(LOAD_MS);
    const exit = server.stop('SIGTERM');
    await exit;
    const samples = await load.stop();
    const acked = acknowledged(samples);
    const stored = await storedPaths(knex, '/sigterm');
    const lost = acked.filter((s) => !stored.has(s.path!)).length;
    info('graceful shutdown', 'events answered 202 under load', String(acked.length));
    // Events arriving after the plugin's last flush are written before they are answered, or
    // answered 503 (not acknowledged) when that write fails.
    info(
      'graceful shutdown',
      'answered 503 while shutting down (not acknowledged)',
      String(samples.filter((s) => s.status === 503).length)
    );
    const missed = missedGoals('graceful shutdown', [
      ['answered 202, not stored after SIGTERM', lost, '==', 0],
    ]);
    expect(acked.length).toBeGreaterThan(500);
    expect(stored.size).toBeGreaterThanOrEqual(acked.length);
    expect(missed).toEqual([]);
  });

  it('SIGKILL: events lost stay within one flush interval', async () => {
    const server = await startApp(PORT, 'postgres', config);
    const load = startLoad(server.url, { concurrency: 8, prefix: '/sigkill' });
    await sleep(LOAD_MS);
    const killedAt = Date.now();
    await server.stop('SIGKILL');
    const samples = await load.stop();
    const acked = acknowledged(samples);
    const stored = await storedPaths(knex, '/sigkill');
    const lost = acked.filter((s) => !stored.has(s.path!)).length;
    // One flush interval's worth: the events answered 202 in the interval before the kill.
    const lastInterval = acked.filter((s) => s.t >= killedAt - FLUSH_MS).length;
    info('crash', 'events answered 202 under load', String(acked.length));
    info('crash', `answered 202 in the last ${FLUSH_MS} ms before SIGKILL`, String(lastInterval));
    const missed = missedGoals('crash', [
      ['answered 202, lost after SIGKILL', lost, '<=', lastInterval],
    ]);
    expect(acked.length).toBeGreaterThan(500);
    expect(missed).toEqual([]);
  });
});
