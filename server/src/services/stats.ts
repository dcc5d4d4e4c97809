import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type {
  ContentRow,
  ContentStatsResponse,
  OverviewResponse,
  Ranked,
  RealtimeResponse,
} from '../../../shared/contracts/stats';
import { servicesUsed } from '../get-service';
import {
  contentDaily,
  dimensionDaily,
  eventDaily,
  listReadsDaily,
  type Aggregate,
} from '../rollup/aggregates';
import { ROLLUP_JOB } from './rollup';
import { entryTitles, titleOf, type AdminAbility } from '../stats/entry-titles';
import { sumBy, type Row } from '../stats/rows';
import { namedEntries } from '../stats/entry-names';
import type { Range } from '../stats/stats-query';
import { createStatsReader, type Split } from '../stats/stats-reader';
import { createRanker } from '../stats/ranked';
import { entryTotals, totals } from '../stats/totals';
import { seriesRows } from '../stats/series';
import { recentTopEntries, recentTotals } from '../stats/recent-views';
import {
  filtered,
  filterTag,
  iso,
  matches,
  n,
  ratio,
  sums,
  TOP,
  type Entry,
  type Filter,
} from '../stats/figures';

export type { Entry, Filter } from '../stats/figures';

/**
 * The dashboards' numbers: the aggregate tables plus the live tail (stats/stats-reader.ts). An
 * event therefore counts within the flush interval, exactly once, before and after its rollup,
 * and the cost of a read does not grow with the raw rows already rolled up.
 */
const createStats = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['job-lease']);
  const knex = () => strapi.db.connection as unknown as Knex;
  const reader = createStatsReader(strapi);
  const { split } = reader;
  const ranked = createRanker(knex, reader);

  /** The top `limit` entries by views, or every entry viewed in the range with `limit` null. */
  async function contentRows(
    s: Split,
    filter: Filter,
    limit: number | null
  ): Promise<ContentRow[]> {
    const keys = ['entry_id'];
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
      liveKeyColumn: 'entry_id',
    });
    const views = (r: Row) => n(r.pageviews) + n(r.api_reads);
    const top = [...rows]
      .sort((a, b) => views(b) - views(a) || n(b.visitors) - n(a.visitors))
      .slice(0, limit ?? undefined);
    // Named once ranked: the top rows only.
    return (await namedEntries(knex(), top)).map((r) => ({
      contentType: String(r.content_type),
      documentId: String(r.document_id),
      locale: (r.locale as string | null) ?? null,
      title: null,
      views: views(r),
      trackerPageviews: n(r.pageviews),
      apiReads: n(r.api_reads),
      visitors: n(r.visitors),
      avgEngagedSeconds: ratio(n(r.engaged_ms) / 1000, n(r.pageviews)),
      events: n(r.events),
    }));
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
    const rows = await reader.storedRows(s, aggregate.table, 'grouped', (q) =>
      q.select(...aggregate.keys, ...sums(knex(), aggregate.sums)).groupBy(aggregate.keys)
    );
    return sumBy([...rows, ...(await reader.live(aggregate, s))], aggregate.keys, aggregate.sums);
  }

  return {
    /**
     * Drops the results held in memory (the next reads compute them again). Never needed for
     * correctness (day versions cover every change); the rollup bench times cold reads with it.
     */
    forgetCached(): void {
      reader.forget();
    },

    async overview(range: Range, filter: Filter): Promise<OverviewResponse['data']> {
      const s = await split(range);
      const span = range.to - range.from;
      const previousRange = { ...range, from: range.from - span, to: range.from };
      const [top, eventRows, listRows, rolledUpAt] = await Promise.all([
        dimensions(s),
        grouped(eventDaily, s),
        grouped(listReadsDaily, s),
        use('job-lease').lastCompleted(ROLLUP_JOB),
      ]);
      const [current, previous, points, content] = await Promise.all([
        totals(knex(), reader, filter, s),
        totals(knex(), reader, filter, await split(previousRange, s.pending)),
        seriesRows(knex(), reader, range, filter, s),
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
      const t = await entryTotals(knex(), reader, s, entry);
      const [titled] = await withTitles([{ ...entry, locale: entry.locale ?? null, title: null }]);
      const series = await seriesRows(
        knex(),
        reader,
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
      return seriesRows(knex(), reader, range, filter, await split(range));
    },

    /**
     * `series` for several filters (the content table's rows) over one range: the pending list,
     * the days' versions and the live tail are read once for all of them.
     */
    async seriesOf(range: Range, filters: (Filter & { documentId?: string })[]) {
      const s = await split(range);
      return Promise.all(filters.map((filter) => seriesRows(knex(), reader, range, filter, s)));
    },

    withTitles,

    async realtime(now = Date.now()): Promise<RealtimeResponse['data']> {
      const since = now - 30 * 60_000;
      const totalsRow = await recentTotals(knex(), since);
      const top = await recentTopEntries(knex(), since, TOP);
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
