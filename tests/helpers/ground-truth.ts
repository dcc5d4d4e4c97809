import { isoDay } from '../../shared/time';

/**
 * The aggregates computed again in plain TypeScript from raw rows — an independent reference for
 * the SQL rollups. Visitors are distinct hashes; sessions split on gaps of 30 minutes or more.
 */
export interface RawEvent {
  id: number;
  ts: number;
  kind: string;
  content_type: string | null;
  document_id: string | null;
  locale: string | null;
  path: string | null;
  referrer_host: string | null;
  visitor_hash: string;
  engaged_ms: number | null;
  event_name: string | null;
  /** Identical API reads within a minute are one row standing for `hits` reads. */
  hits: number;
}

const weigh = (rows: RawEvent[]) => rows.reduce((sum, r) => sum + Number(r.hits ?? 1), 0);

const VIEW = new Set(['pageview', 'api_read']);

export function expectedSiteDaily(rows: RawEvent[]) {
  const byDay = new Map<string, RawEvent[]>();
  for (const r of rows) byDay.set(isoDay(r.ts), [...(byDay.get(isoDay(r.ts)) ?? []), r]);
  const result: Record<string, Record<string, number>> = {};
  for (const [day, list] of byDay) {
    const sessions: Array<{ views: number; interactions: number }> = [];
    const byVisitor = new Map<string, RawEvent[]>();
    for (const r of list.filter((r) => r.kind !== 'list_read')) {
      byVisitor.set(r.visitor_hash, [...(byVisitor.get(r.visitor_hash) ?? []), r]);
    }
    for (const hits of byVisitor.values()) {
      hits.sort((a, b) => a.ts - b.ts || a.id - b.id);
      let last = -Infinity;
      for (const h of hits) {
        if (h.ts - last >= 1_800_000) sessions.push({ views: 0, interactions: 0 });
        last = h.ts;
        const s = sessions[sessions.length - 1];
        if (VIEW.has(h.kind)) s.views += h.hits;
        else s.interactions += h.hits;
      }
    }
    result[day] = {
      pageviews: weigh(list.filter((r) => r.kind === 'pageview')),
      api_reads: weigh(list.filter((r) => r.kind === 'api_read')),
      visitors: new Set(list.map((r) => r.visitor_hash)).size,
      sessions: sessions.length,
      bounces: sessions.filter((s) => s.views === 1 && s.interactions === 0).length,
      engaged_ms: list
        .filter((r) => r.kind === 'engagement')
        .reduce((a, r) => a + (r.engaged_ms ?? 0), 0),
      events: weigh(list.filter((r) => r.kind === 'event')),
    };
  }
  return result;
}

export function expectedContentDaily(rows: RawEvent[]) {
  const result: Record<
    string,
    {
      pageviews: number;
      api_reads: number;
      visitors: Set<string>;
      engaged_ms: number;
      events: number;
    }
  > = {};
  for (const r of rows) {
    if (!r.content_type || !r.document_id || r.kind === 'list_read') continue;
    const key = `${isoDay(r.ts)}|${r.content_type}|${r.document_id}|${r.locale ?? ''}`;
    const e = (result[key] ??= {
      pageviews: 0,
      api_reads: 0,
      visitors: new Set(),
      engaged_ms: 0,
      events: 0,
    });
    if (r.kind === 'pageview') e.pageviews += r.hits;
    if (r.kind === 'api_read') e.api_reads += r.hits;
    if (VIEW.has(r.kind)) e.visitors.add(r.visitor_hash);
    if (r.kind === 'engagement') e.engaged_ms += r.engaged_ms ?? 0;
    if (r.kind === 'event') e.events += r.hits;
  }
  return Object.fromEntries(
    Object.entries(result).map(([k, v]) => [k, { ...v, visitors: v.visitors.size }])
  );
}
