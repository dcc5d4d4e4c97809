/**
 * Whether a failed write is worth trying again as it is: a deadlock, a lock or pool timeout, a
 * serialization failure or a lost connection — not something wrong with the rows themselves.
 * SQLSTATE codes for PostgreSQL, error numbers for MySQL/MariaDB, result codes for SQLite.
 */
const TRANSIENT_SQLSTATE = /^(40001|40P01|55P03|57014|57P0[1-3]|08\w{3}|53\w{3})$/;
const TRANSIENT_MYSQL = new Set([1205, 1213, 1040, 1053, 2002, 2003, 2006, 2013]);
const TRANSIENT_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);

export function isTransientWriteError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, errno, name } = error as { code?: unknown; errno?: unknown; name?: unknown };
  // knex: no pooled connection within acquireConnectionTimeout.
  if (name === 'KnexTimeoutError') return true;
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) {
    return true;
  }
  return typeof errno === 'number' && TRANSIENT_MYSQL.has(errno);
}
