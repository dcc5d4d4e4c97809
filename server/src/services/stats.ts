import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type {
  ContentRow,
  ContentStatsResponse,
  OverviewResponse,
  Ranked,
  RealtimeResponse,
  Totals,
} from '../../../shared/contracts/stats';
import { getService } from '../get-service';
import {
  contentDaily,
  contentHourly,
  dimensionDaily,
  eventDaily,
  listReadsDaily,
  siteDaily,
  siteHourly,
  liveVisitorPartial,
  type Aggregate,
} from '../rollup/aggregates';
import { DAY_MS, HOUR_MS, daysBetween } from '../rollup/day-range';
import { sessionsDelta } from '../rollup/sessions';
import { ROLLUP_JOB, type RollupService } from './rollup';
import { entryTitles, titleOf } from '../stats/entry-titles';
import { rowsOf, sumBy } from '../stats/rows';
import type { Range } from '../stats/stats-query';

type Row = Record<string, unknown>;
export interface Filter {
  contentType?: string;
  locale?: string;
}
export interface Entry {
  contentType: string;
  documentId: string;
  locale?: string;
}

const TOP = 10;
// Live rows whose stored sums are fetched by an IN list, this many at a time.
const IN_LIST = 500;
const n = (v: unknown) => Number(v ?? 0);
const iso = (ms: number) => new Date(ms).toISOString();
const ratio = (a: number, b: number, digits = 1) =>
  b ? Math.round((a / b) * 10 ** digits) / 10 ** digits : 0;

/**
 * The dashboards' numbers: the aggregate tables (partial rows summed by key, GROUP BY and top-N
 * inside the database, never over raw events) plus the live tail — raw rows of batches not rolled
 * up yet, aggregated by the very queries the rollup uses. An event therefore counts within the
 * flush interval, exactly once, before and after its rollup, and the cost of a read does not
 * grow with the raw rows already rolled up.
 */
const createStats = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection as unknown as Knex;

  type Pending = Awaited<ReturnType<RollupService['pending']>>;
  /**
   * The range's days, and those of them the pending raw rows fall on; `pending` lets one request
   * read the pending list once for several ranges.
   */
  async function split(range: Range, known?: Pending) {
    const days = daysBetween(range.from, range.to);
    const pending = known ?? (await getService(strapi, 'rollup').pending());
    const live =
      pending.from === null || pending.to === null
        ? new Set<string>()
        : new Set(daysBetween(pending.from, pending.to + 1));
    return {
      days,
      lo: days[0],
      hi: days[days.length - 1],
      live: days.filter((d) => live.has(d)),
      pending,
      source: pending.source,
      cache: new Map<Aggregate, Promise<Row[]>>(),
    };
  }
  type Split = Awaited<ReturnType<typeof split>>;

  const stored = (table: string, s: Split) => knex()(table).whereBetween('day', [s.lo, s.hi]);
  /** The live tail's rows of `aggregate` (read once per split). */
  const live = (aggregate: Aggregate, s: Split): Promise<Row[]> => {
    let rows = s.cache.get(aggregate);
    if (!rows) {
      rows = Promise.all(
        s.live.flatMap((day) => {
          const visitors = liveVisitorPartial(knex(), aggregate, s.source, day);
          return [
            rowsOf(aggregate.partial(knex(), s.source, day)),
            ...(visitors ? [rowsOf(visitors)] : []),
          ];
        })
      ).then((parts) => parts.flat());
      s.cache.set(aggregate, rows);
    }
    return rows;
  };
  const sums = (fields: string[]) =>
    fields.map((f) => knex().raw('COALESCE(SUM(??), 0) AS ??', [f, f]));
  const matches = (filter: Filter) => (row: Row) =>
    (!filter.contentType || row.content_type === filter.contentType) &&
    (!filter.locale || row.locale === filter.locale);
  const filtered = (q: Knex.QueryBuilder, filter: Filter) => {
    if (filter.contentType) q.where('content_type', filter.contentType);
    if (filter.locale) q.where('locale', filter.locale);
    return q;
  };

  async function totals(range: Range, filter: Filter, s: Split): Promise<Totals> {
    if (!filter.contentType && !filter.locale) {
      const fields = siteDaily.sums;
      const rows = [
        ...(await stored(siteDaily.table, s).select(...sums(fields))),
        ...(await live(siteDaily, s)),
        ...(await Promise.all(s.live.map((day) => sessionsDelta(knex(), s.source, day)))),
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
    const fields = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];
    const rows = [
      ...(await filtered(stored(contentDaily.table, s), filter).select(...sums(fields))),
      ...(await live(contentDaily, s)).filter(matches(filter)),
    ];
    const t = sumBy(rows, [], fields)[0] ?? {};
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

  /** Views and visitors per hour or day: rows of `{ [key], views, visitors }`, stored + live. */
  async function seriesRows(range: Range, filter: Filter & { documentId?: string }, s: Split) {
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
    const q = stored(aggregate.table, s);
    if (byContent) filtered(q, filter);
    if (filter.documentId) q.where('document_id', filter.documentId);
    const rows: Row[] = await q
      .select(key, knex().raw(`${viewsSql} AS views`), knex().raw('SUM(visitors) AS visitors'))
      .groupBy(key);
    const liveRows = (await live(aggregate, s))
      .filter((r) => !byContent || matches(filter)(r))
      .filter((r) => !filter.documentId || r.document_id === filter.documentId)
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

  /**
   * Ranked rows of `aggregate` by `keys`: the stored top `limit` by `orderSql` (in SQL), merged
   * with the live rows — whose stored sums are fetched too, so an entry that only the live tail
   * lifts into the top is ranked on its full count.
   */
  async function ranked(
    aggregate: Aggregate,
    s: Split,
    keys: string[],
    fields: string[],
    orderSql: string,
    limit: number,
    scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    liveFilter: (r: Row) => boolean,
    liveKeyColumn: string
  ): Promise<Row[]> {
    const grouped = () =>
      scope(stored(aggregate.table, s))
        .select(...keys, ...fields.map((f) => knex().raw('SUM(??) AS ??', [f, f])))
        .groupBy(keys);
    const top: Row[] = await grouped().orderByRaw(`${orderSql} DESC`).limit(limit);
    const liveRows = (await live(aggregate, s)).filter(liveFilter);
    const key = (r: Row) => keys.map((k) => String(r[k] ?? '')).join('\u0000');
    const have = new Set(top.map(key));
    const missing = [
      ...new Set(liveRows.filter((r) => !have.has(key(r))).map((r) => r[liveKeyColumn])),
    ];
    const extra: Row[] = [];
    for (let i = 0; i < missing.length; i += IN_LIST) {
      const part = missing.slice(i, i + IN_LIST) as Knex.Value[];
      for (const r of await grouped().whereIn(liveKeyColumn, part)) {
        if (!have.has(key(r))) extra.push(r);
      }
    }
    return sumBy([...top, ...extra, ...liveRows], keys, fields);
  }

  async function contentRows(s: Split, filter: Filter, limit: number): Promise<ContentRow[]> {
    const keys = ['content_type', 'document_id', 'locale'];
    const fields = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];
    const rows = await ranked(
      contentDaily,
      s,
      keys,
      fields,
      'SUM(pageviews) + SUM(api_reads)',
      limit,
      (q) => filtered(q, filter),
      matches(filter),
      'document_id'
    );
    return rows
      .map((r) => ({
        contentType: String(r.content_type),
        documentId: String(r.document_id),
        locale: (r.locale as string | null) ?? null,
        title: null,
        views: n(r.pageviews) + n(r.api_reads),
        trackerPageviews: n(r.pageviews),
        apiReads: n(r.api_reads),
        visitors: n(r.visitors),
        avgEngagedSeconds: ratio(n(r.engaged_ms) / 1000, n(r.pageviews)),
        events: n(r.events),
      }))
      .sort((a, b) => b.views - a.views || b.visitors - a.visitors)
      .slice(0, limit);
  }

  async function withTitles<
    T extends {
      contentType: string;
      documentId: string;
      locale: string | null;
      title: string | null;
    },
  >(rows: T[]) {
    const titles = await entryTitles(strapi, rows);
    return rows.map((r) => ({ ...r, title: titleOf(titles, r) }));
  }

  async function dimensions(s: Split) {
    const top = async (dimension: string): Promise<Ranked[]> =>
      (
        await ranked(
          dimensionDaily,
          s,
          ['dimension', 'value'],
          ['pageviews', 'visitors'],
          'SUM(pageviews)',
          TOP,
          (q) => q.where('dimension', dimension),
          (r) => r.dimension === dimension,
          'value'
        )
      )
        .map((r) => ({
          value: String(r.value),
          pageviews: n(r.pageviews),
          visitors: n(r.visitors),
        }))
        .sort((a, b) => b.pageviews - a.pageviews || a.value.localeCompare(b.value))
        .slice(0, TOP);
    const names = ['path', 'referrer', 'utm_campaign', 'device', 'browser', 'os', 'country'];
    const lists = await Promise.all(names.map(top));
    return Object.fromEntries(names.map((name, i) => [name, lists[i]])) as Record<string, Ranked[]>;
  }

  /** Small per-key tables (events, list reads): GROUP BY in SQL, plus the live rows. */
  async function grouped(aggregate: Aggregate, s: Split) {
    const rows = await stored(aggregate.table, s)
      .select(...aggregate.keys, ...sums(aggregate.sums))
      .groupBy(aggregate.keys);
    return sumBy([...rows, ...(await live(aggregate, s))], aggregate.keys, aggregate.sums);
  }

  async function entryTotals(s: Split, entry: Entry) {
    const fields = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];
    const scope = { contentType: entry.contentType, locale: entry.locale };
    const rows = [
      ...(await filtered(stored(contentDaily.table, s), scope)
        .where('document_id', entry.documentId)
        .select(...sums(fields))),
      ...(await live(contentDaily, s)).filter(
        (r) => matches(scope)(r) && r.document_id === entry.documentId
      ),
    ];
    return sumBy(rows, [], fields)[0] ?? {};
  }

  return {
    async overview(range: Range, filter: Filter): Promise<OverviewResponse['data']> {
      const s = await split(range);
      const span = range.to - range.from;
      const previousRange = { ...range, from: range.from - span, to: range.from };
      const [top, eventRows, listRows, rolledUpAt] = await Promise.all([
        dimensions(s),
        grouped(eventDaily, s),
        grouped(listReadsDaily, s),
        getService(strapi, 'job-lease').lastCompleted(ROLLUP_JOB),
      ]);
      const [current, previous, points, content] = await Promise.all([
        totals(range, filter, s),
        totals(previousRange, filter, await split(previousRange, s.pending)),
        seriesRows(range, filter, s),
        contentRows(s, filter, TOP),
      ]);
      return {
        range: { from: iso(range.from), to: iso(range.to), interval: range.interval },
        totals: current,
        previous,
        series: points.map((p) => ({ t: p.t, pageviews: p.views, visitors: p.visitors })),
        topContent: await withTitles(content),
        topPaths: top.path,
        topReferrers: top.referrer,
        topCampaigns: top.utm_campaign,
        devices: top.device,
        browsers: top.browser,
        operatingSystems: top.os,
        countries: top.country,
        events: eventRows
          .map((r) => ({ name: String(r.event_name), count: n(r.count), visitors: n(r.visitors) }))
          .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
          .slice(0, TOP),
        listReads: listRows
          .map((r) => ({ contentType: String(r.content_type), count: n(r.count) }))
          .sort((a, b) => b.count - a.count || a.contentType.localeCompare(b.contentType)),
        rolledUpAt: rolledUpAt ? iso(rolledUpAt) : null,
        generatedAt: iso(Date.now()),
      };
    },

    async content(range: Range, entry: Entry): Promise<ContentStatsResponse['data'] | null> {
      const s = await split(range);
      const t = await entryTotals(s, entry);
      const [titled] = await withTitles([{ ...entry, locale: entry.locale ?? null, title: null }]);
      const series = await seriesRows(
        range,
        { contentType: entry.contentType, locale: entry.locale, documentId: entry.documentId },
        s
      );
      const editorial = await knex()('ua_editorial')
        .where({ content_type: entry.contentType, document_id: entry.documentId })
        .andWhere('ts', '>=', range.from)
        .andWhere('ts', '<', range.to)
        .orderBy('ts')
        .limit(500)
        .select('ts', 'action', 'locale');
      return {
        range: { from: iso(range.from), to: iso(range.to), interval: range.interval },
        entry: titled,
        totals: {
          views: n(t.pageviews) + n(t.api_reads),
          trackerPageviews: n(t.pageviews),
          apiReads: n(t.api_reads),
          visitors: n(t.visitors),
          avgEngagedSeconds: ratio(n(t.engaged_ms) / 1000, n(t.pageviews)),
          events: n(t.events),
        },
        series,
        editorial: editorial.map((e) => ({
          t: iso(n(e.ts)),
          action: String(e.action),
          locale: e.locale ?? null,
        })),
      };
    },

    async realtime(now = Date.now()): Promise<RealtimeResponse['data']> {
      const since = now - 30 * 60_000;
      const recent = () =>
        knex()('ua_events').where('ts', '>=', since).whereIn('kind', ['pageview', 'api_read']);
      const [totalsRow] = await recent().select(
        knex().raw('COALESCE(SUM(hits), 0) AS pageviews'),
        knex().raw('COUNT(DISTINCT visitor_hash) AS visitors')
      );
      const top = await recent()
        .whereNotNull('document_id')
        .select(
          'content_type',
          'document_id',
          'locale',
          knex().raw('SUM(hits) AS views'),
          knex().raw('COUNT(DISTINCT visitor_hash) AS visitors')
        )
        .groupBy('content_type', 'document_id', 'locale')
        .orderBy('views', 'desc')
        .limit(TOP);
      return {
        since: iso(since),
        visitors: n(totalsRow?.visitors),
        pageviews: n(totalsRow?.pageviews),
        topContent: await withTitles(
          top.map((r) => ({
            contentType: String(r.content_type),
            documentId: String(r.document_id),
            locale: r.locale ?? null,
            title: null,
            views: n(r.views),
            visitors: n(r.visitors),
          }))
        ),
      };
    },
  };
};

export type StatsService = ReturnType<typeof createStats>;
export default createStats;
