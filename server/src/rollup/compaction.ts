import type { Knex } from 'knex';
import { AGGREGATES, insertSelected, type Aggregate } from './aggregates';
import { yieldToEventLoop } from '../yield-to-event-loop';
import { weightedChunks } from '../weighted-chunks';

/** Rows merged per transaction: on SQLite each transaction holds the Node.js thread. */
const ROWS_PER_STEP = 1_000;
/** Slice values bound in one step's statements. */
const SLICES_PER_STEP = 500;

type Slice = string | number | null;

/**
 * The day's rows of `a` in steps of about ROWS_PER_STEP rows, as lists of values of the
 * aggregate's first key column (its slice): every row of one key has the same slice, so merging
 * the rows of some slices never splits a key. An aggregate without keys is one step.
 */
async function steps(
  knex: Knex,
  a: Aggregate,
  day: string,
  rowsPerStep: number
): Promise<Slice[][] | null[]> {
  const slice = a.keys[0];
  if (!slice) return [null];
  const counts = await knex(a.table)
    .where({ day })
    .groupBy(slice)
    .orderBy(slice)
    .select({ slice }, knex.raw('COUNT(*) AS n'));
  const sliceRows = counts as { slice: Slice; n: number | string }[];
  return weightedChunks(sliceRows, (c) => Number(c.n), rowsPerStep, SLICES_PER_STEP).map((step) =>
    step.map((c) => c.slice)
  );
}

/** Rows of `a` on `day` whose slice is among `slices` (null: every row of the day). */
function inStep(q: Knex.QueryBuilder, a: Aggregate, day: string, slices: Slice[] | null) {
  q.where({ day });
  if (!slices) return q;
  const column = a.keys[0];
  const values = slices.filter((v) => v !== null);
  return q.andWhere((w) => {
    if (values.length) w.whereIn(column, values);
    if (values.length < slices.length) w.orWhereNull(column);
  });
}

/**
 * Merges the partial rows the rollup appended for one day into one row per key, in every
 * aggregate table, a step of about ROWS_PER_STEP rows at a time: per step, one transaction
 * (INSERT … SELECT SUM … GROUP BY, then DELETE the rows that existed before) and a turn of the
 * event loop after it, so that on SQLite no statement of a compaction holds the thread for long.
 * Readers sum rows by key either way; compaction only keeps them few.
 */
export async function compactDay(
  knex: Knex,
  day: string,
  rowsPerStep = ROWS_PER_STEP
): Promise<void> {
  for (const aggregate of AGGREGATES) {
    for (const slices of await steps(knex, aggregate, day, rowsPerStep)) {
      await knex.transaction(async (trx) => {
        const last = await inStep(trx(aggregate.table), aggregate, day, slices)
          .max({ id: 'id' })
          .first();
        const lastId = Number(last?.id ?? 0);
        if (!lastId) return;
        await insertSelected(
          trx,
          aggregate,
          inStep(trx(aggregate.table), aggregate, day, slices)
            .andWhere('id', '<=', lastId)
            .select(
              'day',
              ...aggregate.keys,
              ...aggregate.sums.map((column) => trx.raw('SUM(??) AS ??', [column, column]))
            )
            .groupBy('day', ...aggregate.keys)
        );
        await inStep(trx(aggregate.table), aggregate, day, slices)
          .andWhere('id', '<=', lastId)
          .delete();
      });
      await yieldToEventLoop();
    }
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
