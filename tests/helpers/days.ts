import { DAY_MS } from '../../shared/time';

/** The start of today (UTC), in epoch milliseconds. */
export const todayStart = (now = Date.now()) => now - (now % DAY_MS);

/** The UTC date `back` days before today, as `YYYY-MM-DD`. */
export const daysAgo = (back: number, now = Date.now()) =>
  new Date(todayStart(now) - back * DAY_MS).toISOString().slice(0, 10);
