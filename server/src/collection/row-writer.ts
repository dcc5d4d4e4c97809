import type { Knex } from 'knex';

// Stay well under every database's bind-parameter limit (SQLite 32766, PostgreSQL 65535).
const MAX_BINDINGS = 30_000;

/**
 * Writes rows to a table as multi-row INSERTs inside one transaction: all of them or none, so a
 * retried flush can never write a row twice.
 */
export async function insertRows(knex: Knex, table: string, rows: object[]): Promise<void> {
  if (!rows.length) return;
  const columns = Math.max(1, Object.keys(rows[0]).length);
  const perStatement = Math.max(1, Math.floor(MAX_BINDINGS / columns));
  if (rows.length <= perStatement) {
    await knex(table).insert(rows);
    return;
  }
  await knex.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += perStatement) {
      await trx(table).insert(rows.slice(i, i + perStatement));
    }
  });
}
