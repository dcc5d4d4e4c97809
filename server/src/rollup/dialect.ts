import type { Knex } from 'knex';
import { HOUR_MS } from './day-range';

/**
 * The one SQL difference the rollups meet between SQLite, PostgreSQL and MySQL/MariaDB: integer
 * division (MySQL's `/` returns a decimal, its `DIV` truncates).
 */
export function hourBucket(knex: Knex, column = 'ts'): Knex.Raw {
  const client = String(knex.client.config.client);
  return /mysql/.test(client)
    ? knex.raw(`(?? DIV ${HOUR_MS}) * ${HOUR_MS}`, [column])
    : knex.raw(`(?? / ${HOUR_MS}) * ${HOUR_MS}`, [column]);
}
