import type { Knex } from 'knex';
import type { Totals } from '../../../shared/contracts/stats';
import { contentDaily, siteDaily } from '../rollup/aggregates';
import { sessionsDelta } from '../rollup/sessions';
import { sumBy, type Row } from './rows';
import type { Split, StatsReader } from './stats-reader';
import { filtered, filterTag, matches, n, ratio, sums, type Entry, type Filter } from './figures';

const CONTENT_FIELDS = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];

/** The headline figures of a range: site-wide, or of a content type / locale (no sessions). */
export async function totals(
  knex: Knex,
  reader: StatsReader,
  filter: Filter,
  s: Split
): Promise<Totals> {
  if (!filter.contentType && !filter.locale) {
    const fields = siteDaily.sums;
    const rows: Row[] = [
      ...(await reader.storedRows(s, siteDaily.table, 'totals', (q) =>
        q.select(...sums(knex, fields))
      )),
      ...(await reader.live(siteDaily, s)),
      ...(await reader.liveResult(s, 'sessions', async () => {
        const closed = await reader.closedOf(s);
        return Promise.all(
          s.live.map((day) => sessionsDelta(knex, s.source, day, closed.has(day)))
        );
      })),
    ];
    const t = sumBy(rows, [], fields)[0] ?? {};
    const views = n(t.pageviews) + n(t.api_reads);
    return {
      pageviews: views,
      trackerPageviews: n(t.pageviews),
      apiReads: n(t.api_reads),
      visitors: n(t.visitors),
      sessions: n(t.sessions),
      bounceRate: ratio(n(t.bounces) * 100, n(t.sessions)),
      avgEngagedSeconds: ratio(n(t.engaged_ms) / 1000, n(t.pageviews)),
      events: n(t.events),
    };
  }
  const rows = [
    ...(await reader.storedRows(
      s,
      contentDaily.table,
      `totals|${filterTag(filter)}`,
      (q) => filtered(q, filter).select(...sums(knex, CONTENT_FIELDS)),
      { summed: { keys: [], fields: CONTENT_FIELDS } }
    )),
    ...(await reader.live(contentDaily, s)).filter(matches(filter)),
  ];
  const t = sumBy(rows, [], CONTENT_FIELDS)[0] ?? {};
  return {
    pageviews: n(t.pageviews) + n(t.api_reads),
    trackerPageviews: n(t.pageviews),
    apiReads: n(t.api_reads),
    visitors: n(t.visitors),
    sessions: null,
    bounceRate: null,
    avgEngagedSeconds: ratio(n(t.engaged_ms) / 1000, n(t.pageviews)),
    events: n(t.events),
  };
}

/** One entry's sums over the range (stored and live). */
export async function entryTotals(knex: Knex, reader: StatsReader, s: Split, entry: Entry) {
  const scope = {
    contentType: entry.contentType,
    locale: entry.locale,
    documentId: entry.documentId,
  };
  const rows = [
    ...(await filtered(reader.stored(contentDaily.table, s), scope).select(
      ...sums(knex, CONTENT_FIELDS)
    )),
    ...(await reader.live(contentDaily, s)).filter(matches(scope)),
  ];
  return sumBy(rows, [], CONTENT_FIELDS)[0] ?? {};
}
