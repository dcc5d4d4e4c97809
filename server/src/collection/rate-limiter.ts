import { MINUTE_MS } from '../../../shared/time';
import { BoundedMap } from './bounded-map';

/** Events accepted per client address per minute: as configured, or ten per-visitor limits. */
export const perAddressLimit = (limits: {
  perVisitorPerMinute: number;
  perAddressPerMinute: number | null;
}): number => limits.perAddressPerMinute ?? 10 * limits.perVisitorPerMinute;

/**
 * A fixed one-minute window per key (an anonymous visitor hash, or a client address group). Kept in memory per instance and
 * bounded, so a flood of distinct keys cannot grow it without limit.
 */
export class RateLimiter {
  private readonly windows = new BoundedMap<string, { start: number; count: number }>(100_000);

  constructor(private readonly perMinute: () => number) {}

  /** Counts one hit; false when the key has used up its minute. */
  allow(key: string, now = Date.now()): boolean {
    const start = now - (now % MINUTE_MS);
    const window = this.windows.get(key);
    if (!window || window.start !== start) {
      this.windows.set(key, { start, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.perMinute();
  }
}
