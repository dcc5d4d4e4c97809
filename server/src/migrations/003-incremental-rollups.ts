import type { Knex } from 'knex';
import type { Migration, SchemaBuilderFactory } from './types';

const DAY_MS = 86_400_000;

/**
 * Incremental rollups (services/rollup.ts). Every flush tags its raw rows with a random `batch`
 * number and registers the batch in `ua_pending_batches` in the same transaction, so the rollup
 * sees a batch whole or not at all, whatever order concurrent flushes commit in. The rollup adds
 * each batch's counts to the aggregates as new partial rows (summed when read, compacted later)
 * and deletes the batch from the pending list in the same transaction.
 *
 * Exact unique visitors: `ua_uniques` holds each (day, scope, key, visitor) already counted, with
 * the chunk that counted it, so a visitor is counted once per day and key however many batches it
 * appears in. Sessions and
 * bounces: `ua_visitor_sessions` holds each visitor-day's current figures; a batch recomputes
 * them for its visitors and the site aggregate receives the difference.
 *
 * The aggregate tables of 002 are replaced: they gain an `id` so partial rows can be compacted,
 * and lose their one-row-per-key primary keys. Every raw row still present is queued again (one
 * batch per UTC day), so the first rollup after the upgrade rebuilds the aggregates of every day
 * that still has raw rows; the aggregates of older days are copied over as they were.
 */
export const incrementalRollups: Migration = {
  name: '003-incremental-rollups',
  async up(knex, schema) {
    const dayNumber = /mysql/.test(String(knex.client.config.client))
      ? `ts DIV ${DAY_MS}`
      : `ts / ${DAY_MS}`;

    for (const table of ['ua_events', 'ua_editorial']) {
      await schema(knex).alterTable(table, (t) => {
        t.bigInteger('batch').nullable();
        // (batch, ts): a chunk's rows of one day are one index range per batch.
        t.index(['batch', 'ts'], `${table}_batch_idx`);
      });
    }
    await schema(knex).alterTable('ua_events', (t) => {
      // Identical API/list reads by one visitor within a minute are one row (collection/event-row.ts).
      t.integer('hits').notNullable().defaultTo(1);
      t.index(['visitor_hash', 'ts'], 'ua_events_visitor_idx');
    });

    await schema(knex).createTable('ua_pending_batches', (t) => {
      t.bigInteger('batch').primary();
      t.integer('row_count').notNullable();
      t.bigInteger('min_ts').notNullable();
      t.bigInteger('max_ts').notNullable();
    });

    // Key columns are sized so the primary key fits MySQL's 3072-byte limit in utf8mb4.
    await schema(knex).createTable('ua_uniques', (t) => {
      t.string('day', 10).notNullable();
      t.string('scope', 12).notNullable();
      t.bigInteger('bucket').notNullable();
      t.string('k1', 255).notNullable();
      t.string('k2', 400).notNullable();
      t.string('k3', 16).notNullable();
      t.string('visitor', 32).notNullable();
      // The rollup chunk that first counted this visitor here.
      t.bigInteger('chunk').notNullable();
      t.primary(['day', 'scope', 'bucket', 'k1', 'k2', 'k3', 'visitor']);
      t.index(['chunk'], 'ua_uniques_chunk_idx');
    });

    await schema(knex).createTable('ua_visitor_sessions', (t) => {
      t.string('day', 10).notNullable();
      t.string('visitor', 32).notNullable();
      t.integer('sessions').notNullable();
      t.integer('bounces').notNullable();
      t.primary(['day', 'visitor']);
    });

    // Per day: how many generations of partial rows the rollup appended since its compaction.
    await schema(knex).createTable('ua_rollup_days', (t) => {
      t.string('day', 10).primary();
      t.integer('partials').notNullable();
    });

    await recreateAggregateTables(knex, schema);

    // Queue every raw row again, one batch per UTC day (day numbers never collide with the
    // writers' random batch numbers, which start at 2^32).
    for (const table of ['ua_events', 'ua_editorial']) {
      await knex(table).update({ batch: knex.raw(dayNumber) });
    }
    await knex.raw(
      `INSERT INTO ua_pending_batches (batch, row_count, min_ts, max_ts)
       SELECT raw.batch, COUNT(*), MIN(raw.ts), MAX(raw.ts)
       FROM (SELECT batch, ts FROM ua_events UNION ALL SELECT batch, ts FROM ua_editorial) raw
       GROUP BY raw.batch`
    );
    await schema(knex).dropTableIfExists('ua_dirty_days');
  },
};

const AGGREGATE_COLUMNS: Record<string, string[]> = {
  ua_site_daily: [
    'day',
    'pageviews',
    'api_reads',
    'visitors',
    'sessions',
    'bounces',
    'engaged_ms',
    'events',
  ],
  ua_site_hourly: ['hour', 'day', 'pageviews', 'api_reads', 'visitors'],
  ua_content_daily: [
    'day',
    'content_type',
    'document_id',
    'locale',
    'pageviews',
    'api_reads',
    'visitors',
    'engagements',
    'engaged_ms',
    'events',
  ],
  ua_content_hourly: ['hour', 'day', 'content_type', 'document_id', 'locale', 'views', 'visitors'],
  ua_dimension_daily: ['day', 'dimension', 'value', 'pageviews', 'visitors'],
  ua_event_daily: ['day', 'event_name', 'count', 'visitors'],
  ua_editorial_daily: ['day', 'content_type', 'document_id', 'locale', 'action', 'count'],
  ua_list_reads_daily: ['day', 'content_type', 'count'],
};

async function recreateAggregateTables(knex: Knex, schema: SchemaBuilderFactory): Promise<void> {
  // Days older than every raw row cannot be rebuilt: their aggregates are kept, through copies
  // made with CREATE TABLE … AS SELECT (which copy no index or constraint names).
  const oldest = await knex
    .select(knex.raw('MIN(m.ts) AS ts'))
    .from(
      knex.raw('(SELECT MIN(ts) AS ts FROM ua_events UNION ALL SELECT MIN(ts) FROM ua_editorial) m')
    )
    .first();
  const keepBefore =
    oldest?.ts == null ? '9999-12-31' : new Date(Number(oldest.ts)).toISOString().slice(0, 10);
  for (const [table, columns] of Object.entries(AGGREGATE_COLUMNS)) {
    const kept = knex(table)
      .where('day', '<', keepBefore)
      .select(...columns)
      .toSQL();
    await knex.raw(`CREATE TABLE ?? AS ${kept.sql}`, [
      `${table}_kept`,
      ...(kept.bindings as Knex.Value[]),
    ]);
    await schema(knex).dropTable(table);
  }
  await createAggregateTables(knex, schema);
  for (const [table, columns] of Object.entries(AGGREGATE_COLUMNS)) {
    const source = columns.map((c) =>
      table === 'ua_dimension_daily' && c === 'value' ? knex.raw('SUBSTR(value, 1, 400)') : c
    );
    const { sql, bindings } = knex(`${table}_kept`)
      .select(...source)
      .toSQL();
    await knex.raw(`INSERT INTO ?? (${columns.map(() => '??').join(', ')}) ${sql}`, [
      table,
      ...columns,
      ...(bindings as Knex.Value[]),
    ]);
    await schema(knex).dropTable(`${table}_kept`);
  }
}

async function createAggregateTables(knex: Knex, schema: SchemaBuilderFactory): Promise<void> {
  await schema(knex).createTable('ua_site_daily', (t) => {
    t.bigIncrements('id').primary();
    t.string('day', 10).notNullable();
    t.integer('pageviews').notNullable();
    t.integer('api_reads').notNullable();
    t.integer('visitors').notNullable();
    t.integer('sessions').notNullable();
    t.integer('bounces').notNullable();
    t.bigInteger('engaged_ms').notNullable();
    t.integer('events').notNullable();
    t.index(['day'], 'ua_site_daily_day_idx');
  });

  await schema(knex).createTable('ua_site_hourly', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('hour').notNullable();
    t.string('day', 10).notNullable();
    t.integer('pageviews').notNullable();
    t.integer('api_reads').notNullable();
    t.integer('visitors').notNullable();
    t.index(['day'], 'ua_site_hourly_day_idx');
  });

  await schema(knex).createTable('ua_content_daily', (t) => {
    t.bigIncrements('id').primary();
    t.string('day', 10).notNullable();
    t.string('content_type', 255).notNullable();
    t.string('document_id', 64).notNullable();
    t.string('locale', 16).nullable();
    t.integer('pageviews').notNullable();
    t.integer('api_reads').notNullable();
    t.integer('visitors').notNullable();
    t.integer('engagements').notNullable();
    t.bigInteger('engaged_ms').notNullable();
    t.integer('events').notNullable();
    t.index(['day'], 'ua_content_daily_day_idx');
    t.index(['content_type', 'document_id', 'day'], 'ua_content_daily_entry_idx');
  });

  await schema(knex).createTable('ua_content_hourly', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('hour').notNullable();
    t.string('day', 10).notNullable();
    t.string('content_type', 255).notNullable();
    t.string('document_id', 64).notNullable();
    t.string('locale', 16).nullable();
    t.integer('views').notNullable();
    t.integer('visitors').notNullable();
    t.index(['day'], 'ua_content_hourly_day_idx');
    t.index(['content_type', 'document_id', 'hour'], 'ua_content_hourly_entry_idx');
  });

  await schema(knex).createTable('ua_dimension_daily', (t) => {
    t.bigIncrements('id').primary();
    t.string('day', 10).notNullable();
    t.string('dimension', 16).notNullable();
    t.string('value', 400).notNullable();
    t.integer('pageviews').notNullable();
    t.integer('visitors').notNullable();
    t.index(['day', 'dimension'], 'ua_dimension_daily_day_idx');
  });

  await schema(knex).createTable('ua_event_daily', (t) => {
    t.bigIncrements('id').primary();
    t.string('day', 10).notNullable();
    t.string('event_name', 120).notNullable();
    t.integer('count').notNullable();
    t.integer('visitors').notNullable();
    t.index(['day'], 'ua_event_daily_day_idx');
  });

  await schema(knex).createTable('ua_editorial_daily', (t) => {
    t.bigIncrements('id').primary();
    t.string('day', 10).notNullable();
    t.string('content_type', 255).notNullable();
    t.string('document_id', 64).nullable();
    t.string('locale', 16).nullable();
    t.string('action', 32).notNullable();
    t.integer('count').notNullable();
    t.index(['day'], 'ua_editorial_daily_day_idx');
    t.index(['content_type', 'document_id'], 'ua_editorial_daily_entry_idx');
  });

  await schema(knex).createTable('ua_list_reads_daily', (t) => {
    t.bigIncrements('id').primary();
    t.string('day', 10).notNullable();
    t.string('content_type', 255).notNullable();
    t.integer('count').notNullable();
    t.index(['day'], 'ua_list_reads_daily_day_idx');
  });
}
