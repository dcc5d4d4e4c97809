import type { Knex } from 'knex';
import { dayBounds } from './day-range';

/**
 * Which raw rows an aggregate query reads: the batches of one rollup chunk (the rollup), or every
 * batch not rolled up yet (the stats service's live tail). Both go through the same queries, so
 * the dashboards' live figures and the rolled-up ones always agree.
 */
export type RawSource = { batches: number[] } | 'pending';

export const PENDING: RawSource = 'pending';

/**
 * The batches a source covers: a rollup chunk names them (so no statement reads, or on MySQL
 * locks, the pending list that concurrent flushes insert into); the live tail reads the list.
 */
export function batchesOf(knex: Knex, source: RawSource): Knex.QueryBuilder | number[] {
  return source === 'pending' ? knex('ua_pending_batches').select('batch') : source.batches;
}

/** Rows of `table` (aliased `e`) from `source` whose event time falls on `day` (UTC). */
export function rawRows(
  knex: Knex,
  table: 'ua_events' | 'ua_editorial',
  source: RawSource,
  day: string
): Knex.QueryBuilder {
  const [start, end] = dayBounds(day);
  return knex({ e: table })
    .whereIn('e.batch', batchesOf(knex, source))
    .andWhere('e.ts', '>=', start)
    .andWhere('e.ts', '<', end);
}

/** The same restriction as SQL text with bindings, for hand-written statements. */
export function rawRowsSql(
  knex: Knex,
  source: RawSource,
  day: string,
  alias = 'e'
): { sql: string; bindings: Knex.Value[] } {
  const [start, end] = dayBounds(day);
  const batches = batchesOf(knex, source);
  const list = Array.isArray(batches)
    ? { sql: batches.map(() => '?').join(', '), bindings: batches }
    : batches.toSQL();
  return {
    sql: `${alias}.batch IN (${list.sql}) AND ${alias}.ts >= ? AND ${alias}.ts < ?`,
    bindings: [...(list.bindings as Knex.Value[]), start, end],
  };
}
