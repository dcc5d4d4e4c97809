import type { Knex } from 'knex';

/**
 * Deletes at most `limit` rows of `table` whose `day` is before `before`, in one short statement,
 * and returns how many went. For tables keyed by day with no id column, whose old days can hold
 * millions of rows: each database deletes by its own physical row address (PostgreSQL `ctid`,
 * SQLite `rowid`) or with `DELETE … LIMIT` (MySQL/MariaDB).
 */
export function deleteOldDayRows(
  knex: Knex,
  table: string,
  before: string,
  limit: number
): Promise<number> {
  return deleteDayRows(knex, table, '<', before, limit);
}

/** The same for the rows whose `day` compares to `day` by `op` (`'='`: the rows of one day). */
export async function deleteDayRows(
  knex: Knex,
  table: string,
  op: '<' | '=',
  day: string,
  limit: number
): Promise<number> {
  const client = String(knex.client.config.client);
  if (/mysql/.test(client)) {
    const [result] = await knex.raw(`DELETE FROM ?? WHERE day ${op} ? LIMIT ?`, [
      table,
      day,
      limit,
    ]);
    return Number(result?.affectedRows ?? 0);
  }
  const address = /^(pg|postgres)/.test(client) ? 'ctid' : 'rowid';
  const result = await knex.raw(
    `DELETE FROM ?? WHERE ${address} IN (SELECT ${address} FROM ?? WHERE day ${op} ? LIMIT ?)`,
    [table, table, day, limit]
  );
  return Number(result?.rowCount ?? result?.changes ?? 0);
}
