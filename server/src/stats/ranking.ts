import { rowKey, sumBy } from './rows';

type Row = Record<string, unknown>;

/** Every key's summed row, best score first, with each row's key alongside. */
export interface Ranking {
  sorted: Row[];
  sortedKeys: string[];
  byKey: Map<string, Row>;
}

/** Sums `rows` by `keys` and orders them by `score`, best first. */
export function rank(
  rows: Row[],
  keys: string[],
  fields: string[],
  score: (r: Row) => number
): Ranking {
  const sorted = sumBy(rows, keys, fields).sort((a, b) => score(b) - score(a));
  const sortedKeys = sorted.map((r) => rowKey(r, keys));
  return { sorted, sortedKeys, byKey: new Map(sortedKeys.map((k, i) => [k, sorted[i]])) };
}

/**
 * `base` with `extra` rows added to their keys (new keys included), best first — in time
 * proportional to the ranking plus the extra rows, without changing `base`, which may be shared.
 */
export function rankWith(
  base: Ranking,
  extra: Row[],
  keys: string[],
  fields: string[],
  score: (r: Row) => number
): Row[] {
  if (!extra.length) return base.sorted;
  const changed = new Map<string, Row>();
  for (const row of sumBy(extra, keys, fields)) {
    const key = rowKey(row, keys);
    const stored = base.byKey.get(key);
    changed.set(key, stored ? sumBy([stored, row], keys, fields)[0] : row);
  }
  const updated = [...changed.values()].sort((a, b) => score(b) - score(a));
  const out: Row[] = [];
  let next = 0;
  base.sorted.forEach((row, i) => {
    if (changed.has(base.sortedKeys[i])) return;
    while (next < updated.length && score(updated[next]) > score(row)) out.push(updated[next++]);
    out.push(row);
  });
  while (next < updated.length) out.push(updated[next++]);
  return out;
}
