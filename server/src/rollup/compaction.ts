import type { Knex } from 'knex';
import { AGGREGATES, columnsOf } from './aggregates';
import { yieldToEventLoop } from '../yield-to-event-loop';

/**
 * Merges the partial rows the rollup appended for one day into one row per key, in every
 * aggregate table: per table, one transaction (INSERT … SELECT SUM … GROUP BY, then DELETE the
 * rows that existed before), with a turn of the event loop between two tables. Readers sum rows
 * by key either way; compaction only keeps them few.
 */
export async function compactDay(knex: Knex, day: string): Promise<void> {
  for (const aggregate of AGGREGATES) {
    await knex.transaction(async (trx) => {
      const last = await trx(aggregate.table).where({ day }).max({ id: 'id' }).first();
      const lastId = Number(last?.id ?? 0);
      if (!lastId) return;
      const merged = trx(aggregate.table)
        .where({ day })
        .andWhere('id', '<=', lastId)
        .select(
          'day',
          ...aggregate.keys,
          ...aggregate.sums.map((column) => trx.raw('SUM(??) AS ??', [column, column]))
        )
        .groupBy('day', ...aggregate.keys)
        .toSQL();
      const columns = columnsOf(aggregate);
      await trx.raw(`INSERT INTO ?? (${columns.map(() => '??').join(', ')}) ${merged.sql}`, [
        aggregate.table,
        ...columns,
        ...(merged.bindings as Knex.Value[]),
      ]);
      await trx(aggregate.table).where({ day }).andWhere('id', '<=', lastId).delete();
    });
    await yieldToEventLoop();
  }
  await knex('ua_rollup_days').where({ day }).update({ partials: 0 });
}

/**
 * Counts one more partial generation for each of `days`, and raises their versions (inside the
 * chunk's transaction, so a reader that sees the new version sees the new rows).
 */
export async function notePartials(knex: Knex, days: string[]): Promise<void> {
  if (!days.length) return;
  await knex('ua_rollup_days')
    .insert(days.map((day) => ({ day, partials: 1, version: 1 })))
    .onConflict('day')
    .merge({
      partials: knex.raw('?? + 1', ['ua_rollup_days.partials']),
      version: knex.raw('?? + 1', ['ua_rollup_days.version']),
    });
}

/**
 * Days worth compacting: closed days (before `today`) with partial rows, and `today` once the
 * rollup has appended `todayThreshold` generations of partial rows to it.
 */
export async function daysToCompact(
  knex: Knex,
  today: string,
  todayThreshold: number
): Promise<string[]> {
  const rows = await knex('ua_rollup_days')
    .where('partials', '>', 0)
    .andWhere((q) => q.where('day', '<', today).orWhere('partials', '>=', todayThreshold))
    .orderBy('day')
    .select('day');
  return rows.map((row) => String(row.day));
}
