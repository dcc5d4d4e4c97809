// The storage phase of `npm run bench:rollup` (PostgreSQL): bytes per pageview of the plugin's
// tables for a realistic site, beside Umami's tables loaded with the same traffic.
import { DAY_MS, FLUSH_ROWS, generateEvents } from './rollup-data.mjs';
import { UMAMI_TABLES, UMAMI_VERSION, createUmamiTables, umamiSink } from './umami-tables.mjs';

/** A website's traffic: pageviews, engagement pings, custom events (some with properties). */
export const SITE_MIX = { pageview: 75, engagement: 15, event: 10 };
/** Visitors per 100 events and day: about 8 events per visitor-day. */
const VISITORS_PER_100 = 12.5;

/** Sizes of the tables of `schema` whose names match `like`, largest first. */
async function tableSizes(query, schema, like) {
  const rows = await query(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS total,
       pg_relation_size(c.oid) AS heap, pg_indexes_size(c.oid) AS indexes, c.reltuples AS rows
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname LIKE $2
     ORDER BY pg_total_relation_size(c.oid) DESC`,
    [schema, like]
  );
  return rows.map((r) => ({
    table: r.name,
    bytes: Number(r.total),
    heapBytes: Number(r.heap),
    indexBytes: Number(r.indexes),
    rows: Math.max(0, Math.round(Number(r.rows))),
  }));
}

/**
 * Sends `events` events over the 30 days up to now through the plugin, a day at a time with a
 * rollup and a VACUUM after each day (as the scheduled rollup and autovacuum go: days close
 * behind them), measures the plugin's tables, then loads the same events into
 * Umami's tables in schema `umamiSchema` and measures those. `pg()` opens a node-postgres client
 * on the bench database.
 */
export async function measureStorage({
  knex,
  bulk,
  pg,
  schema,
  umamiSchema,
  entries,
  events,
  runRollup,
  progress,
  firstBatch,
}) {
  const now = Date.now();
  const today = now - (now % DAY_MS);
  const days = 30;
  const perDay = Math.round(events / days);
  const visitorsPerDay = Math.max(1, Math.round((perDay * VISITORS_PER_100) / 100));
  const dayRange = (d) => {
    const start = today - (days - 1 - d) * DAY_MS;
    return [start, d === days - 1 ? Math.max(now, start + 60_000) : start + DAY_MS];
  };
  const generate = (d, sink) => {
    const [start, end] = dayRange(d);
    return generateEvents(
      {
        count: perDay,
        start,
        end,
        visitorsPerDay,
        entries,
        seed: 1000 + d,
        firstBatch: firstBatch + d * (Math.ceil(perDay / FLUSH_ROWS) + 1),
        mix: SITE_MIX,
      },
      sink
    );
  };
  const kinds = {};
  let rollupMs = 0;
  const pluginTables = (await knex('pg_tables').where({ schemaname: schema }).select('tablename'))
    .map((r) => r.tablename)
    .filter((t) => t.startsWith('ua_'));
  const vacuum = () => knex.raw(`VACUUM ANALYZE ${pluginTables.map((t) => `"${t}"`).join(', ')}`);
  progress(`storage: ${events.toLocaleString('en-US')} events over ${days} days, a day at a time`);
  for (let d = 0; d < days; d += 1) {
    const made = await generate(d, (rows) => bulk.insertEvents(rows));
    await bulk.insert(
      'ua_pending_batches',
      ['batch', 'row_count', 'min_ts', 'max_ts'],
      made.pending
    );
    for (const [kind, n] of Object.entries(made.kinds)) kinds[kind] = (kinds[kind] ?? 0) + n;
    rollupMs += (await runRollup()).ms;
    // What autovacuum does in the hours of a real day: the space of the rows the rollup deleted
    // (closed days' remembered visitors, compacted partial rows) becomes free for new rows.
    await vacuum();
  }
  const query = async (sql, bindings) => (await knex.raw(sql.replace(/\$\d/g, '?'), bindings)).rows;
  const plugin = await tableSizes(query, schema, 'ua\\_%');

  progress('storage: the same events into Umami’s tables');
  const client = await pg();
  let umami;
  try {
    await createUmamiTables(client, umamiSchema);
    const target = umamiSink(client);
    for (let d = 0; d < days; d += 1) await generate(d, target.sink);
    await target.flush();
    await client.query(`VACUUM ANALYZE ${UMAMI_TABLES.join(', ')}`);
    umami = {
      version: UMAMI_VERSION,
      rows: target.counts,
      tables: await tableSizes(
        async (sql, b) => (await client.query(sql, b)).rows,
        umamiSchema,
        '%'
      ),
    };
    await client.query(`DROP SCHEMA ${umamiSchema} CASCADE`);
  } finally {
    await client.end();
  }
  const total = (tables) => tables.reduce((sum, t) => sum + t.bytes, 0);
  const pageviews = kinds.pageview ?? 0;
  return {
    events: perDay * days,
    days,
    kinds,
    visitorsPerDay,
    rollupSeconds: rollupMs / 1000,
    pluginBytes: total(plugin),
    pluginBytesPerPageview: total(plugin) / pageviews,
    pluginTables: plugin,
    umamiBytes: total(umami.tables),
    umamiBytesPerPageview: total(umami.tables) / pageviews,
    umami,
  };
}
