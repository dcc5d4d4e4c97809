/** A run of days, first and last (UTC, YYYY-MM-DD), read and kept in memory as one part. */
export type DayPart = [string, string];

const monthOf = (day: string) => day.slice(0, 7);

/**
 * Splits a range's days (sorted) into the parts its stored results are read and kept in memory
 * by, so that what changes often is recomputed alone:
 * - from `today` on (the rollup adds to it every minute);
 * - the days before today of the range's last month — for a range that reaches today, today's
 *   month: yesterday joins it at midnight, and the events written just after midnight land on
 *   yesterday;
 * - the days of the range's first month (they move with the range's start, every day for a
 *   range of "the last N days");
 * - the whole months in between, which change only when a month ends (or a rare late event
 *   reaches them).
 * Parts come in day order; empty ones are left out.
 */
export function dayParts(days: string[], today: string): DayPart[] {
  const closed = days.filter((d) => d < today);
  const open = days.filter((d) => d >= today);
  const parts: string[][] = [];
  if (closed.length) {
    const first = monthOf(closed[0]);
    const last = monthOf(closed[closed.length - 1]);
    parts.push(closed.filter((d) => monthOf(d) === first));
    if (last !== first) {
      parts.push(closed.filter((d) => monthOf(d) > first && monthOf(d) < last));
      parts.push(closed.filter((d) => monthOf(d) === last));
    }
  }
  parts.push(open);
  return parts.filter((p) => p.length).map((p) => [p[0], p[p.length - 1]]);
}
