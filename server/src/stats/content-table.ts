import type { ContentRow } from '../../../shared/contracts/stats';
import type { ContentSort, SortOrder } from '../../../shared/contracts/insights';
import { entryKey } from './rows';

const VALUE: Record<ContentSort, (r: ContentRow) => number> = {
  views: (r) => r.views,
  visitors: (r) => r.visitors,
  engaged: (r) => r.avgEngagedSeconds,
};

/** Rows ordered by one column; ties by views, then by key, so pages never overlap. */
export function sortContent(rows: ContentRow[], sort: ContentSort, order: SortOrder) {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort(
    (a, b) =>
      sign * (VALUE[sort](a) - VALUE[sort](b)) ||
      b.views - a.views ||
      entryKey(a).localeCompare(entryKey(b))
  );
}

/** At most `max` points: consecutive points summed into equal buckets (the last may be shorter). */
export function bucketTrend(values: number[], max = 30): number[] {
  if (values.length <= max) return values;
  const size = Math.ceil(values.length / max);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) {
    out.push(values.slice(i, i + size).reduce((a, b) => a + b, 0));
  }
  return out;
}
