import knexFactory, { type Knex } from 'knex';
import { expectedContentDaily, expectedSiteDaily } from '../helpers/ground-truth';
import { rawEvents, storedContentDaily, storedSiteDaily } from '../helpers/aggregates';
import { startServer, type ServerProcess } from '../helpers/server-process';
import { DB_CLIENT } from '../helpers/strapi';
import { scaleOutRequest } from '../helpers/tracking-load';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DATABASES, resetDatabase } = require('../../scripts/databases.cjs');

/**
 * Two Strapi instances on one database, both receiving traffic and both running rollups every two
 * seconds: the aggregates must equal the ground truth computed from the raw rows, and every
 * accepted event must be counted exactly once. (Not run on SQLite, which serves one instance.)
 */
// Two `strapi start` processes; SCALE_OUT_PORT (default 1471) lets two checkouts run side by side.
const PORT_BASE = Number(process.env.SCALE_OUT_PORT ?? 1471);

describe(`two instances on one ${DB_CLIENT} database`, () => {
  const servers: ServerProcess[] = [];
  let knex: Knex;

  beforeAll(async () => {
    await resetDatabase(DB_CLIENT);
    const { label: _label, ...connection } = DATABASES[DB_CLIENT];
    knex = knexFactory({
      client: DB_CLIENT === 'mysql' ? 'mysql2' : 'pg',
      connection: { ...connection, password: '' },
    });
    const common = {
      DB_CLIENT,
      TRUST_PROXY: 'true',
      SEED_CONTENT: 'true',
    };
    const config = (id: string) =>
      JSON.stringify({
        instanceId: id,
        rollup: { cron: '*/2 * * * * *' },
        flush: { intervalMs: 200 },
      });
    // Boot one after the other: Strapi's own schema sync is not meant to race.
    servers.push(
      await startServer(PORT_BASE, { ...common, USAGE_ANALYTICS_CONFIG: config('instance-a') })
    );
    servers.push(
      await startServer(PORT_BASE + 1, { ...common, USAGE_ANALYTICS_CONFIG: config('instance-b') })
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await knex?.destroy();
  });

  it('aggregates traffic on both instances exactly, with concurrent rollups', async () => {
    const res = await fetch(`${servers[0].url}/api/articles?pagination[pageSize]=50`);
    const articles = ((await res.json()) as { data: Array<{ documentId: string }> }).data;
    expect(articles.length).toBeGreaterThan(5);
    let reads = 0;
    let tracked = 0;
    const deadline = Date.now() + 20_000;
    for (let i = 0; Date.now() < deadline || i < 600; i += 1) {
      if (i >= 1200) break;
      const sent = await scaleOutRequest(servers[i % 2].url, i, articles, 37);
      if (sent.counted && sent.kind === 'read') reads += 1;
      if (sent.counted && sent.kind === 'pageview') tracked += 1;
    }
    // Let the last flushes land and both instances finish their rollups.
    for (let waited = 0; waited < 30_000; waited += 500) {
      await new Promise((r) => setTimeout(r, 500));
      const [{ n }] = await knex('ua_pending_batches').count({ n: '*' });
      if (Number(n) === 0 && waited >= 3_000) break;
    }
    expect(await knex('ua_pending_batches').select('batch')).toEqual([]);

    const raw = await rawEvents(knex);
    // Every accepted event is stored once.
    // Every accepted read is stored once (identical reads within a minute share a row).
    const apiReads = raw.filter((r) => r.kind === 'api_read');
    expect(apiReads.reduce((sum, r) => sum + r.hits, 0)).toBe(reads);
    expect(raw.filter((r) => r.kind === 'pageview').length).toBe(tracked);

    const site = await storedSiteDaily(knex);
    expect(site).toEqual(expectedSiteDaily(raw));
    const content = await storedContentDaily(knex);
    expect(content).toEqual(expectedContentDaily(raw));
    const total = Object.values(site).reduce(
      (a: number, d) => a + Number((d as { api_reads: unknown }).api_reads),
      0
    );
    expect(total).toBe(reads);
  });
});
