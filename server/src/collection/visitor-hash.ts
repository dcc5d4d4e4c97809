import { createHash } from 'node:crypto';
import { DAY_MS, isoDay } from '../../../shared/time';

/** Hex characters kept of the hash: 64 bits, so that two of a day's visitors share one with a
 * chance of about n² / 2⁶⁵ (one in 370 000 for ten million visitors a day). */
export const VISITOR_HASH_LENGTH = 16;

/**
 * The anonymous visitor id: truncated SHA-256 of a daily random salt, the site, the client IP and
 * the user agent. Without the salt (deleted after two days) the hash cannot be tied back to an IP,
 * and a visitor cannot be followed from one day to the next.
 */
export function visitorHash(salt: string, site: string, ip: string, userAgent: string): string {
  return createHash('sha256')
    .update(salt)
    .update('\u0000')
    .update(site)
    .update('\u0000')
    .update(ip)
    .update('\u0000')
    .update(userAgent)
    .digest('hex')
    .slice(0, VISITOR_HASH_LENGTH);
}

/** A visitor's place in [0, 1), stable for the day: sampling keeps or drops a visitor entirely. */
export function samplePosition(hash: string): number {
  return parseInt(hash.slice(0, 8), 16) / 0x1_0000_0000;
}

// Every event of a day asks for the same day: remember the last answer.
let lastDayNumber = NaN;
let lastDay = '';

/** The UTC day of a time, as used for salts and daily aggregates. */
export function utcDay(ts: number): string {
  const dayNumber = Math.floor(ts / DAY_MS);
  if (dayNumber !== lastDayNumber) {
    lastDay = isoDay(dayNumber * DAY_MS);
    lastDayNumber = dayNumber;
  }
  return lastDay;
}
