import type { Knex } from 'knex';
import { HOUR_MS } from '../../../shared/time';

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

/** Which of the three databases `knex` talks to (its client: pg, mysql2, better-sqlite3, …). */
export function dialectOf(knex: Knex): Dialect {
  const client = String(knex.client.config.client);
  if (/mysql/.test(client)) return 'mysql';
  return /^(pg|postgres)/.test(client) ? 'postgres' : 'sqlite';
}

/**
 * The transaction settings of a rollup step that reads aggregates or raw rows and writes
 * aggregates: on MySQL/MariaDB REPEATABLE READ would make every `INSERT … SELECT` lock the rows
 * and index gaps it reads, holding up concurrent flushes; READ COMMITTED reads without locking.
 */
export const rollupIsolation = (knex: Knex): Knex.TransactionConfig =>
  dialectOf(knex) === 'mysql' ? { isolationLevel: 'read committed' } : {};

/**
 * The SQL differences the rollups meet between SQLite, PostgreSQL and MySQL/MariaDB: integer
 * division (MySQL's `/` returns a decimal, its `DIV` truncates) and the conflict clauses of an
 * `INSERT … SELECT` (below).
 */
export function hourBucket(knex: Knex, column = 'ts'): Knex.Raw {
  return dialectOf(knex) === 'mysql'
    ? knex.raw(`(?? DIV ${HOUR_MS}) * ${HOUR_MS}`, [column])
    : knex.raw(`(?? / ${HOUR_MS}) * ${HOUR_MS}`, [column]);
}

/**
 * Turns `INSERT … SELECT … WHERE …` into an insert that skips rows whose primary key exists:
 * `ON CONFLICT DO NOTHING` on PostgreSQL and SQLite, a no-op `ON DUPLICATE KEY UPDATE` on MySQL
 * (not `INSERT IGNORE`, which would also hide truncation errors).
 */
export function skipDuplicates(knex: Knex, insertSelect: string, anyKeyColumn: string): string {
  return dialectOf(knex) === 'mysql'
    ? `${insertSelect} ON DUPLICATE KEY UPDATE ${anyKeyColumn} = ${anyKeyColumn}`
    : `${insertSelect} ON CONFLICT DO NOTHING`;
}

/**
 * Turns `INSERT … SELECT … WHERE …` into an insert that overwrites `columns` of the row whose
 * primary key (`keyColumns`) exists: `ON CONFLICT … DO UPDATE` on PostgreSQL and SQLite (an update
 * in place, which PostgreSQL can keep off the indexes), `ON DUPLICATE KEY UPDATE` on MySQL.
 */
export function overwriteDuplicates(
  knex: Knex,
  insertSelect: string,
  keyColumns: string[],
  columns: string[]
): string {
  return dialectOf(knex) === 'mysql'
    ? `${insertSelect} ON DUPLICATE KEY UPDATE ${columns.map((c) => `${c} = VALUES(${c})`).join(', ')}`
    : `${insertSelect} ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${columns
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`;
}
