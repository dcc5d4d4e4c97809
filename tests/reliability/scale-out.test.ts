import type { Knex } from 'knex';
import { rawEvents, storedContentDaily, storedSiteDaily } from '../helpers/aggregates';
import { expectedContentDaily, expectedSiteDaily } from '../helpers/ground-truth';
import { info, missedGoals } from '../helpers/reliability-figures';
import { databaseKnex, emptyDatabase, startApp, type ServerDb } from '../helpers/reliability-app';
import type { ServerProcess } from '../helpers/server-process';
import { scaleOutRequest, sleep } from '../helpers/tracking-load';

/**
 * The long version of tests/integration/scale-out.test.ts: two `strapi start` instances on one
 * database, concurrent reads and pageviews on both, rollups every 2 s on both, for
 * RELIABILITY_SCALE_OUT_SECONDS (120) — on PostgreSQL and MariaDB at the same time (four
 * instances, to keep the suite's run time down). Aggregates must equal the ground truth from the
 * raw rows, and every accepted read and pageview must be stored exactly once.
 */
const SECONDS = Number(process.env.RELIABILITY_SCALE_OUT_SECONDS ?? 120);
const PORT = Number(process.env.RELIABILITY_PORT ?? 1490);
const CONCURRENCY = 4;

/** Keys whose values differ between two { key: row } maps (key order inside rows ignored). */
function differing(stored: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const canonical = (v: unknown) =>
    JSON.stringify(v, (_k, x) =>
      x && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
        : x
    );
  const keys = new Set([...Object.keys(stored), ...Object.keys(expected)]);
  return [...keys]
    .filter((k) => canonical(stored[k]) !== canonical(expected[k]))
    .map((k) => `${k}: stored ${canonical(stored[k])}, expected ${canonical(expected[k])}`);
}

async function scaleOut(db: ServerDb, ports: [number, number]) {
  await emptyDatabase(db);
  const knex: Knex = databaseKnex(db);
  const servers: ServerProcess[] = [];
  try {
    const config = (id: string) => ({
      instanceId: id,
      rollup: { cron: '*/2 * * * * *' },
      flush: { intervalMs: 200 },
      rateLimit: { perVisitorPerMinute: 1_000_000 },
    });
    // One after the other: Strapi's own schema sync is not meant to race.
    for (const [i, port] of ports.entries())
      servers.push(await startApp(port, db, config(`${db}-${i}`), { SEED_CONTENT: 'true' }));
    const listed = await fetch(`${servers[0].url}/api/articles?pagination[pageSize]=50`);
    const articles = ((await listed.json()) as { data: Array<{ documentId: string }> }).data;
    if (articles.length < 5) throw new Error(`only ${articles.length} seeded articles`);

    let reads = 0;
    let tracked = 0;
    let failed = 0;
    let seq = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const worker = async () => {
      while (Date.now() < deadline) {
        const i = (seq += 1);
        const sent = await scaleOutRequest(servers[i % 2].url, i, articles, 53);
        if (!sent.counted) failed += 1;
        else if (sent.kind === 'read') reads += 1;
        else tracked += 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // Let the last flushes land and the rollups catch up.
    for (let waited = 0; waited < 60_000; waited += 500) {
      await sleep(500);
      const [{ n }] = await knex('ua_pending_batches').count({ n: '*' });
      if (Number(n) === 0 && waited >= 3_000) break;
    }
    const pending = (await knex('ua_pending_batches').select('batch')).length;
    const raw = await rawEvents(knex);
    const storedReads = raw.filter((r) => r.kind === 'api_read').reduce((s, r) => s + r.hits, 0);
    const storedPageviews = raw.filter((r) => r.kind === 'pageview').length;
    const site = await storedSiteDaily(knex);
    const content = await storedContentDaily(knex);
    const differences = [
      ...differing(site, expectedSiteDaily(raw)),
      ...differing(content, expectedContentDaily(raw)),
    ];
    if (differences.length) console.log(`${db}: ${differences.slice(0, 5).join('\n')}`);
    const label = `scale-out ${db === 'mysql' ? 'mariadb' : db}`;
    info(label, 'load', `${SECONDS} s, 2 instances, ${CONCURRENCY} connections, rollup every 2 s`);
    info(label, 'reads + pageviews accepted', `${reads} + ${tracked} (${failed} failed)`);
    return missedGoals(label, [
      ['requests failed', failed, '==', 0],
      ['batches left pending', pending, '==', 0],
      ['reads accepted − stored', reads - storedReads, '==', 0],
      ['pageviews accepted − stored', tracked - storedPageviews, '==', 0],
      ['site and content days differing from the ground truth', differences.length, '==', 0],
    ]);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await knex.destroy();
  }
}

describe(`two instances per database for ${SECONDS} s (postgres and mariadb)`, () => {
  it('aggregates equal the ground truth exactly on both databases', async () => {
    const missed = await Promise.all([
      scaleOut('postgres', [PORT, PORT + 1]),
      scaleOut('mysql', [PORT + 2, PORT + 3]),
    ]);
    expect(missed.flat()).toEqual([]);
  });
});
