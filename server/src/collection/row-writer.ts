import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { utcDay } from './visitor-hash';

// Stay well under every database's bind-parameter limit (SQLite 32766, PostgreSQL 65535).
const MAX_BINDINGS = 30_000;
// knex writes a multi-row INSERT on SQLite as a compound SELECT, which SQLite caps at 500 terms.
const SQLITE_MAX_ROWS = 500;

/**
 * Writes raw rows as multi-row INSERTs inside one transaction — all of them or none, so a retried
 * flush never writes a row twice — and, in the same transaction, marks the UTC days they belong
 * to as dirty in `ua_dirty_days` so the rollup recomputes exactly those days.
 */
export async function insertRows<Row extends { ts: number }>(
  knex: Knex,
  table: string,
  rows: Row[]
): Promise<void> {
  if (!rows.length) return;
  const columns = Math.max(1, Object.keys(rows[0]).length);
  const isSqlite = /sqlite/.test(String(knex.client.config.client));
  const perStatement = Math.min(
    Math.max(1, Math.floor(MAX_BINDINGS / columns)),
    isSqlite ? SQLITE_MAX_ROWS : Infinity
  );
  const days = [...new Set(rows.map((row) => utcDay(row.ts)))];
  await knex.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += perStatement) {
      await trx(table).insert(rows.slice(i, i + perStatement));
    }
    const token = randomBytes(8).toString('hex');
    await trx('ua_dirty_days')
      .insert(days.map((day) => ({ day, token })))
      .onConflict('day')
      .merge(['token']);
  });
}
