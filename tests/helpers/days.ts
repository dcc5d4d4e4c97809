import { DAY_MS, isoDay } from '../../shared/time';

/** The start of today (UTC), in epoch milliseconds. */
export const todayStart = (now = Date.now()) => now - (now % DAY_MS);

/** The UTC date `back` days before today, as `YYYY-MM-DD`. */
export const daysAgo = (back: number, now = Date.now()) => isoDay(todayStart(now) - back * DAY_MS);
