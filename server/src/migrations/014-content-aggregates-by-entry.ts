import type { Knex } from 'knex';
import { dialectOf } from '../rollup/dialect';
import { binaryCollation } from './012-entry-dictionary';
import type { Migration, SchemaBuilderFactory } from './types';

// The two content aggregates as this migration leaves them (frozen: later changes are later
// migrations): the time keys, then the sums.
const TABLES = {
  ua_content_daily: {
    times: ['day'],
    sums: ['pageviews', 'api_reads', 'visitors', 'engagements', 'engaged_ms', 'events'],
  },
  ua_content_hourly: { times: ['hour', 'day'], sums: ['views', 'visitors'] },
} as const;
type Table = keyof typeof TABLES;

async function createTable(knex: Knex, schema: SchemaBuilderFactory, table: Table) {
  await schema(knex).createTable(table, (t) => {
    t.bigIncrements('id').primary();
    if (table === 'ua_content_hourly') t.bigInteger('hour').notNullable();
    t.string('day', 10).notNullable();
    t.integer('entry_id').notNullable();
    for (const sum of TABLES[table].sums) {
      if (sum === 'engaged_ms') t.bigInteger(sum).notNullable();
      else t.integer(sum).notNullable();
    }
    // Every reader reads a range of days. One entry's days (its page, the content table's trends)
    // are read by entry: daily ranges span years; hourly ones at most 31 days, read by day. By the
    // entry id alone: an entry has a row a day, and PostgreSQL stores runs of one key once.
    t.index(['day'], `${table}_day_idx`);
    if (table === 'ua_content_daily') t.index(['entry_id'], `${table}_entry_idx`);
  });
}

/**
 * The content aggregates name their entry by its id in `ua_entries` (012) instead of repeating
 * content type, document id and locale as text in every row: those were most of a row. Each
 * table is rebuilt (so that PostgreSQL frees the texts' bytes at once): its rows are copied
 * aside, summed by (time, entry) — readers sum the partial rows of a key anyway — and written
 * back to the new table; the entries they name that no raw row named are added to the
 * dictionary first. The daily table's per-entry index is by entry id; the hourly one has none
 * (an hourly range is at most 31 days: read by day, then narrowed to the entry ids of a filter).
 */
export const contentAggregatesByEntry: Migration = {
  name: '014-content-aggregates-by-entry',
  async up(knex, schema) {
    const collation = dialectOf(knex) === 'mysql' ? await binaryCollation(knex) : null;
    // An aggregate row's column as the dictionary stores it (an absent locale is '').
    const as = (column: string) => {
      const value = `COALESCE(c.${column}, '')`;
      return collation ? `CONVERT(${value} USING utf8mb4) COLLATE ${collation}` : value;
    };
    const match =
      `n.content_type = ${as('content_type')} AND n.document_id = ${as('document_id')} ` +
      `AND n.locale = ${as('locale')}`;
    const tables = Object.keys(TABLES) as Table[];
    for (const table of tables) {
      await knex.raw(`CREATE TABLE ?? AS SELECT * FROM ??`, [`${table}_kept`, table]);
      await schema(knex).dropTable(table);
    }
    const named = tables
      .map((t) => `SELECT content_type, document_id, locale FROM ${t}_kept`)
      .join(' UNION ALL ');
    // Those already there are skipped by the unique key (not by a NOT EXISTS on ua_entries: an
    // INSERT … SELECT reading the table it writes lost rows on MariaDB 10.11).
    const skip = collation
      ? ' ON DUPLICATE KEY UPDATE ua_entries.content_type = ua_entries.content_type'
      : ' ON CONFLICT DO NOTHING';
    await knex.raw(
      `INSERT INTO ua_entries (content_type, document_id, locale) ` +
        `SELECT DISTINCT ${as('content_type')}, ${as('document_id')}, ${as('locale')} ` +
        `FROM (${named}) c WHERE 1 = 1${skip}`
    );
    for (const table of tables) {
      const { times, sums } = TABLES[table];
      await createTable(knex, schema, table);
      const columns = [...times, 'entry_id', ...sums];
      await knex.raw(
        `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) ` +
          `SELECT ${times.map((t) => `c.${t}`).join(', ')}, n.id, ` +
          `${sums.map((s) => `SUM(c.${s})`).join(', ')} ` +
          `FROM ?? c JOIN ua_entries n ON ${match} ` +
          `GROUP BY ${times.map((t) => `c.${t}`).join(', ')}, n.id`,
        [table, ...columns, `${table}_kept`]
      );
      await schema(knex).dropTable(`${table}_kept`);
    }
  },
};
