import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { withEntryIds, type EntryColumns } from './entry-ids';
import { dialectOf } from '../rollup/dialect';
import type { TimeTarget } from '../sized-to-time';

// Stay well under every database's bind-parameter limit (SQLite 32766, PostgreSQL 65535).
const MAX_BINDINGS = 30_000;
// knex writes a multi-row INSERT on SQLite as a compound SELECT, which SQLite caps at 500 terms.
const SQLITE_MAX_ROWS = 500;

/**
 * On SQLite a write holds the Node.js thread from its first statement to its commit (a 1 000-row
 * batch about 60 ms): batches sized to take about 15 ms, with a turn of the event loop between
 * two (collection/event-buffer.ts), keep requests moving. Other databases write asynchronously.
 */
export function writeTime(knex: Knex): (TimeTarget & { first: number }) | undefined {
  return dialectOf(knex) === 'sqlite'
    ? { targetMs: 15, min: 50, max: 2_000, first: 200 }
    : undefined;
}

/** Writers' batch numbers start here; lower numbers are UTC day numbers (migration 003). */
const BATCH_MIN = 2 ** 32;
const BATCH_MAX = 2 ** 47;

/**
 * Writes raw rows as multi-row INSERTs inside one transaction — all of them or none, so a retried
 * flush never writes a row twice. Every row carries the same random `batch` number, registered in
 * `ua_pending_batches` in the same transaction: the rollup finds the batch, whole, as soon as it
 * is committed, whatever order concurrent flushes from several instances commit in. Raw events
 * that name their content entry by its columns are stored with the entry's id (entry-ids.ts).
 */
export async function insertRows<Row extends { ts: number }>(
  knex: Knex,
  table: string,
  rows: Row[]
): Promise<void> {
  if (!rows.length) return;
  const batch = randomInt(BATCH_MIN, BATCH_MAX);
  const stored: object[] =
    table === 'ua_events' && 'content_type' in rows[0]
      ? await withEntryIds(knex, rows as unknown as EntryColumns[])
      : rows;
  const tagged = stored.map((row) => ({ ...row, batch }));
  const columns = Object.keys(tagged[0]).length;
  const isSqlite = dialectOf(knex) === 'sqlite';
  const perStatement = Math.min(
    Math.max(1, Math.floor(MAX_BINDINGS / columns)),
    isSqlite ? SQLITE_MAX_ROWS : Infinity
  );
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (const row of rows) {
    if (row.ts < minTs) minTs = row.ts;
    if (row.ts > maxTs) maxTs = row.ts;
  }
  await knex.transaction(async (trx) => {
    for (let i = 0; i < tagged.length; i += perStatement) {
      await trx(table).insert(tagged.slice(i, i + perStatement));
    }
    await trx('ua_pending_batches').insert({
      batch,
      row_count: rows.length,
      min_ts: minTs,
      max_ts: maxTs,
    });
  });
}
