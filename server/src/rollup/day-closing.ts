import type { Knex } from 'knex';
import { HOUR_MS } from '../../../shared/time';
import { dayBounds } from './day-range';
import { utcDay } from '../collection/visitor-hash';
import { deleteInShortStatements } from '../retention/short-deletes';

/**
 * Closing days. Under a daily salt a visitor exists for one day, so `ua_visitor_sessions` (each
 * visitor's sessions and bounces so far) is needed only while a day still receives raw rows. Once
 * a day has ended CLOSE_AFTER_MS ago and has no pending batch, it is marked closed and its
 * per-visitor figures are deleted: its counts are in the aggregates. A batch that still arrives
 * for a closed day has its visitors' sessions recounted from their raw rows (sessions.ts).
 */

/**
 * A day stays open this long after it ends: batches flushed late (a slow flush, an instance
 * catching up after the database was unreachable) still find its visitors' session figures.
 */
export const CLOSE_AFTER_MS = 3 * HOUR_MS;
export const OPEN = 0;
/** Closed; its per-visitor session figures may still be being deleted. */
export const CLOSING = 1;
export const CLOSED = 2;

/** The days among `days` that are closed (sessions recounted, not looked up). */
export async function closedAmong(knex: Knex, days: string[]): Promise<Set<string>> {
  if (!days.length) return new Set();
  const rows = await knex('ua_rollup_days')
    .whereIn('day', days)
    .andWhere('closed', '>', OPEN)
    .select('day');
  return new Set(rows.map((r) => String(r.day)));
}

/** Marks `day` closed unless a pending batch still has rows on it; true when it is closed. */
async function markClosed(knex: Knex, day: string): Promise<boolean> {
  const [start, end] = dayBounds(day);
  return knex.transaction(async (trx) => {
    const pending = await trx('ua_pending_batches')
      .where('min_ts', '<', end)
      .andWhere('max_ts', '>=', start)
      .first('batch');
    if (pending) return false;
    await trx('ua_rollup_days').where({ day, closed: OPEN }).update({ closed: CLOSING });
    return true;
  });
}

/**
 * Closes every day that may be closed at `now`, and finishes closing those a previous run left
 * half done; `keepAlive` runs between statements (the caller's job lease). Returns the days
 * closed.
 */
export async function closeDays(
  knex: Knex,
  now: number,
  keepAlive: () => Promise<void> = async () => {}
): Promise<string[]> {
  const candidates = await knex('ua_rollup_days')
    .where('closed', '<', CLOSED)
    .andWhere('day', '<', utcDay(now - CLOSE_AFTER_MS))
    .orderBy('day')
    .select('day', 'closed');
  const closed: string[] = [];
  for (const { day, closed: state } of candidates) {
    if (Number(state) === OPEN && !(await markClosed(knex, String(day)))) continue;
    await deleteInShortStatements(knex, 'ua_visitor_sessions', 'day', '=', String(day), keepAlive);
    await knex('ua_rollup_days').where({ day }).update({ closed: CLOSED });
    closed.push(String(day));
  }
  return closed;
}
