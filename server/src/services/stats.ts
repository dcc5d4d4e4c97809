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
  visitorPartial,
  type Aggregate,
} from '../rollup/aggregates';
import { DAY_MS, HOUR_MS, daysBetween } from '../rollup/day-range';
import { sessionsDelta } from '../rollup/sessions';
import { closedAmong } from '../rollup/day-closing';
import { ROLLUP_JOB, type RollupService } from './rollup';
import { entryTitles, titleOf, type AdminAbility } from '../stats/entry-titles';
import { rowKey, rowsOf, sumBy } from '../stats/rows';
import { DayRangeCache } from '../stats/day-range-cache';
import { dayParts, type DayPart } from '../stats/day-parts';
import { rank as rankRows, rankWith, type Ranking } from '../stats/ranking';
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
// Rows of stored-aggregate results kept in memory, in all (DayRangeCache).
const CACHE_ROWS = 200_000;
// A ranking is made in memory from every key's sums when each part of the range (day-parts.ts)
// holds at most this many keys (then it is exact and cached); past it, the top is picked in SQL.
const MAX_KEYS = 50_000;
// Live tails whose results are kept (a request may read two ranges' tails, several requests may
// overlap a flush).
const TAILS_KEPT = 4;
const n = (v: unknown) => Number(v ?? 0);
const iso = (ms: number) => new Date(ms).toISOString();
const ratio = (a: number, b: number, digits = 1) =>
  b ? Math.round((a / b) * 10 ** digits) / 10 ** digits : 0;

/**
 * The dashboards' numbers: the aggregate tables (partial rows summed by key, GROUP BY inside the
 * database, never over raw events; each result kept in memory while the versions of its days
 * stand, so a year of closed days is read once, not per request) plus the live tail — raw rows of
 * batches not rolled up yet, aggregated by the very queries the rollup uses. An event therefore
 * counts within the flush interval, exactly once, before and after its rollup, and the cost of a
 * read does not grow with the raw rows already rolled up.
 */
const createStats = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection as unknown as Knex;
  const cache = new DayRangeCache(CACHE_ROWS);
  // Live-tail results by tail (tailKeyOf), the most recent TAILS_KEPT tails.
  const tails = new Map<string, Map<string, Promise<unknown>>>();
  // Rankings of cached parts, by the parts' identities (one WeakMap level per part): summed and
  // sorted once per combination of cached results.
  type RankingNode = { next: WeakMap<Row[], RankingNode>; ranking?: Ranking };
  const rankings: RankingNode = { next: new WeakMap() };
  const rankingOf = (parts: Row[][], build: () => Ranking): Ranking => {
    let node = rankings;
    for (const part of parts) {
      let child = node.next.get(part);
      if (!child) node.next.set(part, (child = { next: new WeakMap() }));
      node = child;
    }
    return (node.ranking ??= build());
  };

  type Pending = Awaited<ReturnType<RollupService['pending']>>;
  /**
   * The range's days, and those of them the pending raw rows fall on; `pending` lets one request
   * read the pending list once for several ranges.
   */
  async function split(range: Range, known?: Pending, now = Date.now()) {
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
      /** The runs of days stored results are read and kept in memory by (stats/day-parts.ts). */
      parts: dayParts(days, iso(now).slice(0, 10)),
      live: days.filter((d) => live.has(d)),
      pending,
      source: pending.source,
      cache: new Map<Aggregate, Promise<Row[]>>(),
      versions: new Map<string, Promise<string>>(),
      dayVersions: null as Promise<{ day: string; version: string }[]> | null,
      tailKey: null as Promise<string | null> | null,
      closed: null as Promise<Set<string>> | null,
    };
  }
  type Split = Awaited<ReturnType<typeof split>>;

  const stored = (table: string, s: Split) => knex()(table).whereBetween('day', [s.lo, s.hi]);

  /**
   * What the days `part` of `table` look like now: the versions of the days the rollup added to
   * and the oldest day retention left. Read before the part's query runs (see DayRangeCache).
   */
  const dayVersionsOf = (s: Split) =>
    (s.dayVersions ??= knex()('ua_rollup_days')
      .whereBetween('day', [s.lo, s.hi])
      .select('day', 'version')
      .then((rows) => rows.map((r) => ({ day: String(r.day), version: String(r.version) }))));
  const versionOf = (s: Split, table: string, part: DayPart): Promise<string> => {
    const key = `${table}|${part[0]}|${part[1]}`;
    let version = s.versions.get(key);
    if (!version) {
      version = Promise.all([dayVersionsOf(s), knex()(table).min({ day: 'day' }).first()]).then(
        ([days, oldest]) =>
          `${oldest?.day ?? ''}|${days
            .filter((d) => d.day >= part[0] && d.day <= part[1])
            .sort((x, y) => x.day.localeCompare(y.day))
            .map((d) => `${d.day}:${d.version}`)
            .join(',')}`
      );
      s.versions.set(key, version);
    }
    return version;
  };

  /**
   * `shape`d over the range's days of `table`, one result per part of the range (stats/day-parts:
   * the months before today apart from today's, which change at each rollup), each from the
   * cache while its days' versions stand (under `tag`, which must name the shape). Callers sum
   * the parts by key.
   */
  async function storedParts(
    s: Split,
    table: string,
    tag: string,
    shape: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    keep?: (rows: Row[]) => boolean
  ): Promise<Row[][]> {
    return Promise.all(
      s.parts.map((part) =>
        versionOf(s, table, part).then((version) =>
          cache.get(
            `${table}|${tag}|${part[0]}|${part[1]}`,
            version,
            async () => rowsOf(shape(knex()(table).whereBetween('day', part))),
            keep
          )
        )
      )
    );
  }
  const storedRows = async (
    s: Split,
    table: string,
    tag: string,
    shape: (q: Knex.QueryBuilder) => Knex.QueryBuilder
  ) => (await storedParts(s, table, tag, shape)).flat();
  /**
   * The pending batches a split reads and the versions of its live days: while both stay the
   * same, the live tail is the same raw rows checked against the same rolled-up raw rows and
   * sessions (the rollup changes those only in a chunk that raises the days' versions), so its
   * results are too. Null when the tail is not worth keeping (no live day, or too many batches
   * to name).
   */
  const tailKeyOf = (s: Split): Promise<string | null> =>
    (s.tailKey ??= (async () => {
      const source = s.source;
      if (!s.live.length || source === 'pending') return null;
      const versions = new Map((await dayVersionsOf(s)).map((d) => [d.day, d.version]));
      const days = s.live.map((day) => `${day}:${versions.get(day) ?? 0}`).join(',');
      return `${days}|${[...source.batches].sort((a, b) => a - b).join(',')}`;
    })());
  /** A result of the live tail, shared by every request that reads the same tail. */
  async function liveResult<T>(s: Split, name: string, compute: () => Promise<T>): Promise<T> {
    const key = await tailKeyOf(s);
    if (key === null) return compute();
    let results = tails.get(key);
    if (!results) {
      tails.set(key, (results = new Map()));
      for (const old of tails.keys()) if (tails.size > TAILS_KEPT) tails.delete(old);
    }
    let result = results.get(name) as Promise<T> | undefined;
    if (!result) {
      const computed = compute();
      results.set(name, computed);
      computed.catch(() => results.delete(name));
      result = computed;
    }
    return result;
  }
  /** The live days that are closed (their sessions are recounted, not looked up). */
  const closedOf = (s: Split) => (s.closed ??= closedAmong(knex(), s.live));
  /** The live tail's rows of `aggregate` (read once per split, and per tail while it stands). */
  const live = (aggregate: Aggregate, s: Split): Promise<Row[]> => {
    let rows = s.cache.get(aggregate);
    if (!rows) {
      rows = liveResult(s, aggregate.table, async () => {
        const parts = await Promise.all(
          s.live.flatMap((day) => {
            const visitors = visitorPartial(knex(), aggregate, s.source, day);
            return [
              rowsOf(aggregate.partial(knex(), s.source, day)),
              visitors ? rowsOf(visitors) : Promise.resolve([]),
            ];
          })
        );
        return parts.flat();
      });
      s.cache.set(aggregate, rows);
    }
    return rows;
  };
  const sums = (fields: string[]) =>
    fields.map((f) => knex().raw('COALESCE(SUM(??), 0) AS ??', [f, f]));
  const matches = (filter: Filter) => (row: Row) =>
    (!filter.contentType || row.content_type === filter.contentType) &&
    (!filter.locale || row.locale === filter.locale);
  const filterTag = (filter: Filter & { documentId?: string }) =>
    JSON.stringify([filter.contentType ?? null, filter.locale ?? null, filter.documentId ?? null]);
  const filtered = (q: Knex.QueryBuilder, filter: Filter) => {
    if (filter.contentType) q.where('content_type', filter.contentType);
    if (filter.locale) q.where('locale', filter.locale);
    return q;
  };

  async function totals(range: Range, filter: Filter, s: Split): Promise<Totals> {
    if (!filter.contentType && !filter.locale) {
      const fields = siteDaily.sums;
      const rows: Row[] = [
        ...(await storedRows(s, siteDaily.table, 'totals', (q) => q.select(...sums(fields)))),
        ...(await live(siteDaily, s)),
        ...(await liveResult(s, 'sessions', async () => {
          const closed = await closedOf(s);
          return Promise.all(
            s.live.map((day) => sessionsDelta(knex(), s.source, day, closed.has(day)))
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
    const fields = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];
    const rows = [
      ...(await storedRows(s, contentDaily.table, `totals|${filterTag(filter)}`, (q) =>
        filtered(q, filter).select(...sums(fields))
      )),
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
    const rows = await storedRows(s, aggregate.table, `series|${filterTag(filter)}`, (q) => {
      if (byContent) filtered(q, filter);
      if (filter.documentId) q.where('document_id', filter.documentId);
      return q
        .select(key, knex().raw(`${viewsSql} AS views`), knex().raw('SUM(visitors) AS visitors'))
        .groupBy(key);
    });
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
   * Ranked rows of `aggregate` by `keys`, best `score` first. Usually every key's sums over each
   * part of the range (cached) are summed in memory with the live rows: exact, and cheap once
   * cached. When a part holds more than MAX_KEYS keys, the stored top `limit` is picked by
   * `orderSql` in SQL and merged with the live rows — whose stored sums are fetched too, so an
   * entry that only the live tail lifts into the top is ranked on its full count. The rows
   * returned may be shared by later calls: never change them.
   */
  async function ranked(
    aggregate: Aggregate,
    s: Split,
    rank: {
      tag: string;
      keys: string[];
      fields: string[];
      score: (r: Row) => number;
      orderSql: string;
      /** null: every key (the content table and the export page through all of them). */
      limit: number | null;
      scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
      liveFilter: (r: Row) => boolean;
      liveKeyColumn: string;
    }
  ): Promise<Row[]> {
    const { keys, fields, scope } = rank;
    const grouped = (q: Knex.QueryBuilder) =>
      scope(q)
        .select(...keys, ...fields.map((f) => knex().raw('SUM(??) AS ??', [f, f])))
        .groupBy(keys);
    const liveRows = (await live(aggregate, s)).filter(rank.liveFilter);
    // A part with more keys than MAX_KEYS means ranking in SQL below: not worth keeping.
    const parts = await storedParts(
      s,
      aggregate.table,
      `ranked|${rank.tag}`,
      (q) => grouped(q).limit(MAX_KEYS + 1),
      (rows) => rows.length <= MAX_KEYS
    );
    if (parts.every((part) => part.length <= MAX_KEYS)) {
      const base = rankingOf(parts, () => rankRows(parts.flat(), keys, fields, rank.score));
      return rankWith(base, liveRows, keys, fields, rank.score);
    }
    const byScore = (rows: Row[]) => rows.sort((a, b) => rank.score(b) - rank.score(a));
    const ordered = grouped(stored(aggregate.table, s)).orderByRaw(`${rank.orderSql} DESC`);
    const top: Row[] = await (rank.limit === null ? ordered : ordered.limit(rank.limit));
    const key = (r: Row) => rowKey(r, keys);
    const have = new Set(top.map(key));
    const missing = [
      ...new Set(liveRows.filter((r) => !have.has(key(r))).map((r) => r[rank.liveKeyColumn])),
    ];
    const extra: Row[] = [];
    for (let i = 0; i < missing.length; i += IN_LIST) {
      const part = missing.slice(i, i + IN_LIST) as Knex.Value[];
      for (const r of await grouped(stored(aggregate.table, s)).whereIn(rank.liveKeyColumn, part)) {
        if (!have.has(key(r))) extra.push(r);
      }
    }
    return byScore(sumBy([...top, ...extra, ...liveRows], keys, fields));
  }

  /** The top `limit` entries by views, or every entry viewed in the range with `limit` null. */
  async function contentRows(
    s: Split,
    filter: Filter,
    limit: number | null
  ): Promise<ContentRow[]> {
    const keys = ['content_type', 'document_id', 'locale'];
    const fields = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];
    const rows = await ranked(contentDaily, s, {
      tag: filterTag(filter),
      keys,
      fields,
      score: (r) => n(r.pageviews) + n(r.api_reads),
      orderSql: 'SUM(pageviews) + SUM(api_reads)',
      limit,
      scope: (q) => filtered(q, filter),
      liveFilter: matches(filter),
      liveKeyColumn: 'document_id',
    });
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
      .slice(0, limit ?? undefined);
  }

  async function withTitles<
    T extends {
      contentType: string;
      documentId: string;
      locale: string | null;
      title: string | null;
    },
  >(rows: T[], ability?: AdminAbility | null) {
    // Titles only of entries the requesting admin may read in the Content Manager.
    const titles = await entryTitles(strapi, rows, ability);
    return rows.map((r) => ({ ...r, title: titleOf(titles, r) }));
  }

  async function dimensions(s: Split) {
    const top = async (dimension: string): Promise<Ranked[]> =>
      (
        await ranked(dimensionDaily, s, {
          tag: dimension,
          keys: ['dimension', 'value'],
          fields: ['pageviews', 'visitors'],
          score: (r) => n(r.pageviews),
          orderSql: 'SUM(pageviews)',
          limit: TOP,
          scope: (q) => q.where('dimension', dimension),
          liveFilter: (r) => r.dimension === dimension,
          liveKeyColumn: 'value',
        })
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
    const rows = await storedRows(s, aggregate.table, 'grouped', (q) =>
      q.select(...aggregate.keys, ...sums(aggregate.sums)).groupBy(aggregate.keys)
    );
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
    /**
     * Drops the results held in memory (the next reads compute them again). Never needed for
     * correctness (day versions cover every change); the rollup bench times cold reads with it.
     */
    forgetCached(): void {
      cache.clear();
      tails.clear();
    },

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

    /** Every entry viewed in the range (untitled): the content table, insights and export. */
    async allContent(range: Range, filter: Filter): Promise<ContentRow[]> {
      return contentRows(await split(range), filter, null);
    },

    /** Views and visitors per hour or day of the range, site-wide, filtered or of one entry. */
    async series(range: Range, filter: Filter & { documentId?: string }) {
      return seriesRows(range, filter, await split(range));
    },

    /**
     * `series` for several filters (the content table's rows) over one range: the pending list,
     * the days' versions and the live tail are read once for all of them.
     */
    async seriesOf(range: Range, filters: (Filter & { documentId?: string })[]) {
      const s = await split(range);
      return Promise.all(filters.map((filter) => seriesRows(range, filter, s)));
    },

    withTitles,

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
