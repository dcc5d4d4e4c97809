import { LogHistogram } from './log-histogram';

/** A request-stats row from any of the minute/hour/day tables, bucket start in `t`. */
export interface StatsRow {
  t: number;
  method: string;
  route: string;
  status_class: number;
  count: number;
  error_count: number;
  sum_ms: number;
  min_ms: number;
  max_ms: number;
  histogram: string | LogHistogram;
}

/** A merged row: the same fields, with the histogram parsed. */
export type MergedStats = Omit<StatsRow, 'histogram'> & { histogram: LogHistogram };

/**
 * Adds up rows that share a key (by default: bucket, method, route, status class). Counts and sums
 * add, min/max take the extreme, histograms add bucket by bucket — all exact.
 */
export function mergeStats(
  rows: Iterable<StatsRow>,
  keyOf: (row: StatsRow) => string = (r) => `${r.t} ${r.method} ${r.status_class} ${r.route}`,
  bucketOf: (row: StatsRow) => number = (r) => r.t
): MergedStats[] {
  const merged = new Map<string, MergedStats>();
  for (const row of rows) {
    const key = keyOf(row);
    const histogram =
      typeof row.histogram === 'string' ? LogHistogram.parse(row.histogram) : row.histogram;
    const into = merged.get(key);
    if (!into) {
      merged.set(key, {
        t: bucketOf(row),
        method: row.method,
        route: row.route,
        status_class: Number(row.status_class),
        count: Number(row.count),
        error_count: Number(row.error_count),
        sum_ms: Number(row.sum_ms),
        min_ms: Number(row.min_ms),
        max_ms: Number(row.max_ms),
        histogram: new LogHistogram().merge(histogram),
      });
      continue;
    }
    into.count += Number(row.count);
    into.error_count += Number(row.error_count);
    into.sum_ms += Number(row.sum_ms);
    into.min_ms = Math.min(into.min_ms, Number(row.min_ms));
    into.max_ms = Math.max(into.max_ms, Number(row.max_ms));
    into.histogram.merge(histogram);
  }
  return [...merged.values()];
}
