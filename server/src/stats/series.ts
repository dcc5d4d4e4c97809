import type { Knex } from 'knex';
import { contentDaily, contentHourly, siteDaily, siteHourly } from '../rollup/aggregates';
import { DAY_MS, HOUR_MS } from '../../../shared/time';
import { sumBy } from './rows';
import type { Split, StatsReader } from './stats-reader';
import type { Range } from './stats-query';
import { filtered, filterTag, iso, matches, n, type Filter } from './figures';

/** Views and visitors per hour or day of the range: site-wide, filtered or of one entry. */
export async function seriesRows(
  knex: Knex,
  reader: StatsReader,
  range: Range,
  filter: Filter & { documentId?: string },
  s: Split
) {
  const hourly = range.interval === 'hour';
  const key = hourly ? 'hour' : 'day';
  const byContent = Boolean(filter.contentType || filter.locale || filter.documentId);
  const aggregate = byContent
    ? hourly
      ? contentHourly
      : contentDaily
    : hourly
      ? siteHourly
      : siteDaily;
  const viewsSql = aggregate === contentHourly ? 'SUM(views)' : 'SUM(pageviews) + SUM(api_reads)';
  const rows = await reader.storedRows(s, aggregate.table, `series|${filterTag(filter)}`, (q) => {
    if (byContent) filtered(q, filter);
    return q
      .select(key, knex.raw(`${viewsSql} AS views`), knex.raw('SUM(visitors) AS visitors'))
      .groupBy(key);
  });
  const liveRows = (await reader.live(aggregate, s))
    .filter((r) => !byContent || matches(filter)(r))
    .map((r) => ({
      [key]: r[key],
      views: aggregate === contentHourly ? r.views : n(r.pageviews) + n(r.api_reads),
      visitors: r.visitors,
    }));
  const totalsByKey = new Map(
    sumBy([...rows, ...liveRows], [key], ['views', 'visitors']).map((r) => [
      hourly ? String(n(r[key])) : String(r[key]),
      r,
    ])
  );
  const step = hourly ? HOUR_MS : DAY_MS;
  const points = [];
  for (let t = range.from; t < range.to; t += step) {
    const r = totalsByKey.get(hourly ? String(t) : iso(t).slice(0, 10));
    points.push({ t: iso(t), views: n(r?.views), visitors: n(r?.visitors) });
  }
  return points;
}
