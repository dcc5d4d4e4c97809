import type { ContentRow } from '../../../shared/contracts/stats';
import type { Movement } from '../../../shared/contracts/insights';
import { entryKey as key } from './rows';

/** Each entry's views in two periods (an entry absent from one had 0 there). */
export function movements(current: ContentRow[], previous: ContentRow[]): Movement[] {
  const byKey = new Map<string, Movement>();
  const entry = (r: ContentRow) => {
    const found = byKey.get(key(r));
    if (found) return found;
    const m: Movement = {
      contentType: r.contentType,
      documentId: r.documentId,
      locale: r.locale,
      title: null,
      current: 0,
      previous: 0,
      change: 0,
    };
    byKey.set(key(r), m);
    return m;
  };
  for (const r of current) entry(r).current = r.views;
  for (const r of previous) entry(r).previous = r.views;
  for (const m of byKey.values()) m.change = m.current - m.previous;
  return [...byKey.values()];
}

const tie = (a: Movement, b: Movement) => key(a).localeCompare(key(b));

/** The biggest gains and losses, `limit` of each. */
export function topMovers(all: Movement[], limit: number) {
  return {
    gains: all
      .filter((m) => m.change > 0)
      .sort((a, b) => b.change - a.change || tie(a, b))
      .slice(0, limit),
    losses: all
      .filter((m) => m.change < 0)
      .sort((a, b) => a.change - b.change || tie(a, b))
      .slice(0, limit),
  };
}
