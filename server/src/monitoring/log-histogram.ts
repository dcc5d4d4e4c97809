/**
 * A latency histogram with fixed log-scale buckets (the DDSketch layout): bucket `i` holds the
 * values in (γ^(i-1), γ^i] with γ = (1 + α) / (1 − α). Any quantile read from it is within a
 * relative error α of the exact one, and because the buckets are the same everywhere, two
 * histograms merge exactly by adding their counts — across minutes, hours and instances.
 *
 * Stored sparse, as `{ "<bucket>": count }` JSON text.
 */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
/** Values at or below this (ms) share the lowest bucket: 1 µs is below any request's duration. */
export const MIN_VALUE_MS = 0.001;
const MIN_INDEX = Math.ceil(Math.log(MIN_VALUE_MS) / LN_GAMMA);

export type SparseCounts = Record<string, number>;

/** The bucket a value (ms) falls in: a log and a ceil, O(1). */
export function bucketOf(valueMs: number): number {
  if (!(valueMs > MIN_VALUE_MS)) return MIN_INDEX;
  return Math.ceil(Math.log(valueMs) / LN_GAMMA);
}

/** The value a bucket stands for: within α of every value in it. */
export function bucketValue(index: number): number {
  return (2 * Math.pow(GAMMA, index)) / (GAMMA + 1);
}

export class LogHistogram {
  readonly counts = new Map<number, number>();
  total = 0;

  record(valueMs: number, times = 1): void {
    const index = bucketOf(valueMs);
    this.counts.set(index, (this.counts.get(index) ?? 0) + times);
    this.total += times;
  }

  merge(other: LogHistogram | SparseCounts): this {
    const entries: Iterable<[number | string, number]> =
      other instanceof LogHistogram ? other.counts : Object.entries(other);
    for (const [key, count] of entries) {
      const index = Number(key);
      if (!Number.isInteger(index) || !(count > 0)) continue;
      this.counts.set(index, (this.counts.get(index) ?? 0) + count);
      this.total += count;
    }
    return this;
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1) as the value of rank ⌊q·(n−1)⌋ in sorted order, or null when
   * empty. `min`/`max` (exact, when known) clamp the answer so p0/p100 are exact.
   */
  quantile(q: number, min?: number, max?: number): number | null {
    if (!this.total) return null;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.total - 1));
    if (rank === 0 && min !== undefined) return min;
    if (rank === this.total - 1 && max !== undefined) return max;
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    let value = bucketValue(keys[keys.length - 1]);
    for (const key of keys) {
      seen += this.counts.get(key)!;
      if (seen > rank) {
        value = bucketValue(key);
        break;
      }
    }
    if (min !== undefined && value < min) value = min;
    if (max !== undefined && value > max) value = max;
    return value;
  }

  toJSON(): SparseCounts {
    const out: SparseCounts = {};
    for (const [key, count] of [...this.counts].sort((a, b) => a[0] - b[0])) out[key] = count;
    return out;
  }

  static parse(text: string | null | undefined): LogHistogram {
    const histogram = new LogHistogram();
    if (!text) return histogram;
    try {
      const counts = JSON.parse(text);
      if (counts && typeof counts === 'object') histogram.merge(counts as SparseCounts);
    } catch {
      // A row we cannot read adds nothing rather than breaking the report.
    }
    return histogram;
  }
}
