/**
 * Lengths of time in milliseconds, and what a calendar day is, for the server, the admin panel,
 * the tests and the benchmarks (which load this file from source: it imports nothing). Migrations
 * keep their own values.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The UTC calendar day of an epoch-milliseconds time, written YYYY-MM-DD. */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Whether a date written YYYY-MM-DD names a day of the calendar. `Date.parse` does not say: it
 * reads 2026-02-30 as 2 March; a real day reads back the same.
 */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && isoDay(ms) === day;
}
