import type { Knex } from 'knex';
import { dialectOf } from '../rollup/dialect';
import { yieldToEventLoop } from '../yield-to-event-loop';
import { nextSize } from '../sized-to-time';

/** About how long one DELETE statement may take, and the bounds of its row count. */
export const TARGET_MS = 10;
export const MIN_ROWS = 100;
export const MAX_ROWS = 5_000;
const FIRST_ROWS = 500;

/**
 * The row count of the next statement: doubled while statements finish in under half the target,
 * halved while they take over twice the target, kept between MIN_ROWS and MAX_ROWS.
 */
export const nextLimit = (limit: number, elapsedMs: number): number =>
  nextSize(limit, elapsedMs, { targetMs: TARGET_MS, min: MIN_ROWS, max: MAX_ROWS });

/**
 * Deletes at most `limit` rows of `table` whose `column` compares to `value` by `op`, in one
 * statement, by each database's physical row address (PostgreSQL `ctid`, SQLite `rowid`) or with
 * `DELETE … LIMIT` (MySQL/MariaDB), so it works on tables with no id column. Returns the count.
 */
export async function deleteSome(
  knex: Knex,
  table: string,
  column: string,
  op: '<' | '=',
  value: string | number,
  limit: number
): Promise<number> {
  const dialect = dialectOf(knex);
  if (dialect === 'mysql') {
    const [result] = await knex.raw(`DELETE FROM ?? WHERE ?? ${op} ? LIMIT ?`, [
      table,
      column,
      value,
      limit,
    ]);
    return Number(result?.affectedRows ?? 0);
  }
  const address = dialect === 'postgres' ? 'ctid' : 'rowid';
  const result = await knex.raw(
    `DELETE FROM ?? WHERE ${address} IN (SELECT ${address} FROM ?? WHERE ?? ${op} ? LIMIT ?)`,
    [table, table, column, value, limit]
  );
  return Number(result?.rowCount ?? result?.changes ?? 0);
}

/**
 * Deletes every row of `table` whose `column` compares to `value` by `op`, in short statements:
 * each sized to take about TARGET_MS (nextLimit) and followed by a turn of the event loop. On
 * SQLite every statement blocks the Node.js thread, so this keeps a retention run over millions of
 * rows from stalling requests; elsewhere it keeps each statement's locks short. `between` runs
 * between statements (a lease renewal, say).
 */
export async function deleteInShortStatements(
  knex: Knex,
  table: string,
  column: string,
  op: '<' | '=',
  value: string | number,
  between: () => Promise<void> = async () => {}
): Promise<number> {
  let deleted = 0;
  let limit = FIRST_ROWS;
  for (;;) {
    const started = performance.now();
    const count = await deleteSome(knex, table, column, op, value, limit);
    deleted += count;
    if (count < limit) return deleted;
    limit = nextLimit(limit, performance.now() - started);
    await yieldToEventLoop();
    await between();
  }
}

/** Deletes the rows of `table` whose `column` is before `before`, in short statements. */
export const deleteOlderThan = (
  knex: Knex,
  table: string,
  column: string,
  before: string | number
): Promise<number> => deleteInShortStatements(knex, table, column, '<', before);
