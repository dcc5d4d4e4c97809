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
  type DayAggregate,
} from '../rollup/day-aggregates';
import { DAY_MS, HOUR_MS, daysBetween } from '../rollup/day-range';
import { ROLLUP_JOB } from './rollup';
import { entryTitles, titleOf } from '../stats/entry-titles';
import { rowsOf, sumBy } from '../stats/rows';
import type { Range } from '../stats/stats-query';

type Row = Record<string, unknown>;
export interface Filter {
  contentType?: string;
  locale?: string;
}

const TOP = 10;
const n = (v: unknown) => Number(v ?? 0);
const iso = (ms: number) => new Date(ms).toISOString();
const ratio = (a: number, b: number, digits = 1) =>
  b ? Math.round((a / b) * 10 ** digits) / 10 ** digits : 0;

/**
 * The dashboards' numbers. Days already rolled up are read from the aggregate tables (SQL GROUP
 * BY over days × entries, never over raw events); days changed since their last rollup are
 * computed live from raw rows with the very queries the rollup uses — so an event counts within
 * the flush interval, exactly once, before and after its rollup.
 */
const createStats = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection as unknown as Knex;

  const loadDirty = async () => new Set(await getService(strapi, 'rollup').dirtyDays());

  /** The range's days, and which of them must be read live; `dirtyDays` lets a caller read them once. */
  async function split(range: Range, dirtyDays?: Set<string>) {
    const days = daysBetween(range.from, range.to);
    const dirty = dirtyDays ?? (await loadDirty());
    return {
      days,
      lo: days[0],
      hi: days[days.length - 1],
      dirty: days.filter((d) => dirty.has(d)),
    };
  }
  type Split = Awaited<ReturnType<typeof split>>;

  const stored = (table: string, s: Split) => {
    const q = knex()(table).whereBetween('day', [s.lo, s.hi]);
    return s.dirty.length ? q.whereNotIn('day', s.dirty) : q;
  };
  const live = async (aggregate: DayAggregate, s: Split) =>
    (await Promise.all(s.dirty.map((day) => rowsOf(aggregate.select(knex(), day))))).flat();
  const matches = (filter: Filter) => (row: Row) =>
    (!filter.contentType || row.content_type === filter.contentType) &&
    (!filter.locale || row.locale === filter.locale);
  const filtered = (q: Knex.QueryBuilder, filter: Filter) => {
    if (filter.contentType) q.where('content_type', filter.contentType);
    if (filter.locale) q.where('locale', filter.locale);
    return q;
  };

  async function totals(range: Range, filter: Filter, dirtyDays: Set<string>): Promise<Totals> {
    const s = await split(range, dirtyDays);
    if (!filter.contentType && !filter.locale) {
      const fields = [
        'pageviews',
        'api_reads',
        'visitors',
        'sessions',
        'bounces',
        'engaged_ms',
        'events',
      ];
      const sums = fields.map((f) => knex().raw('COALESCE(SUM(??), 0) AS ??', [f, f]));
      const rows = [
        ...(await stored('ua_site_daily', s).select(sums)),
        ...(await live(siteDaily, s)),
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
    const sums = fields.map((f) => knex().raw('COALESCE(SUM(??), 0) AS ??', [f, f]));
    const rows = [
      ...(await filtered(stored('ua_content_daily', s), filter).select(sums)),
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

  async function series(range: Range, filter: Filter, s: Split) {
    const hourly = range.interval === 'hour';
    const byContent = Boolean(filter.contentType || filter.locale);
    const key = hourly ? 'hour' : 'day';
    let rows: Row[];
    if (byContent) {
      const aggregate = hourly ? contentHourly : contentDaily;
      const views = hourly
        ? knex().raw('SUM(views) AS views')
        : knex().raw('SUM(pageviews + api_reads) AS views');
      rows = [
        ...(await filtered(stored(aggregate.table, s), filter)
          .select(key, views, knex().raw('SUM(visitors) AS visitors'))
          .groupBy(key)),
        ...(await live(aggregate, s)).filter(matches(filter)).map((r) => ({
          [key]: r[key],
          views: hourly ? r.views : n(r.pageviews) + n(r.api_reads),
          visitors: r.visitors,
        })),
      ];
    } else {
      const aggregate = hourly ? siteHourly : siteDaily;
      rows = [...(await stored(aggregate.table, s).select('*')), ...(await live(aggregate, s))].map(
        (r) => ({
          [key]: r[key],
          views: n(r.pageviews) + n(r.api_reads),
          visitors: r.visitors,
        })
      );
    }
    const sums = new Map(
      sumBy(rows, [key], ['views', 'visitors']).map((r) => [String(n(r[key]) || r[key]), r])
    );
    const step = hourly ? HOUR_MS : DAY_MS;
    const points = [];
    for (let t = range.from; t < range.to; t += step) {
      const id = hourly ? String(t) : iso(t).slice(0, 10);
      const r = sums.get(id);
      points.push({ t: iso(t), pageviews: n(r?.views), visitors: n(r?.visitors) });
    }
    return points;
  }

  async function contentRows(s: Split, filter: Filter): Promise<ContentRow[]> {
    const keys = ['content_type', 'document_id', 'locale'];
    const fields = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];
    const rows = [
      ...(await filtered(stored('ua_content_daily', s), filter)
        .select(...keys, ...fields.map((f) => knex().raw('SUM(??) AS ??', [f, f])))
        .groupBy(keys)),
      ...(await live(contentDaily, s)).filter(matches(filter)),
    ];
    return sumBy(rows, keys, fields)
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
      .sort((a, b) => b.views - a.views || b.visitors - a.visitors);
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
    const rows = [
      ...(await stored('ua_dimension_daily', s)
        .select(
          'dimension',
          'value',
          knex().raw('SUM(pageviews) AS pageviews'),
          knex().raw('SUM(visitors) AS visitors')
        )
        .groupBy('dimension', 'value')),
      ...(await live(dimensionDaily, s)),
    ];
    const all = sumBy(rows, ['dimension', 'value'], ['pageviews', 'visitors']);
    const top = (dimension: string): Ranked[] =>
      all
        .filter((r) => r.dimension === dimension)
        .map((r) => ({
          value: String(r.value),
          pageviews: n(r.pageviews),
          visitors: n(r.visitors),
        }))
        .sort((a, b) => b.pageviews - a.pageviews || a.value.localeCompare(b.value))
        .slice(0, TOP);
    return top;
  }

  return {
    async overview(range: Range, filter: Filter): Promise<OverviewResponse['data']> {
      const dirtyDays = await loadDirty();
      const s = await split(range, dirtyDays);
      const span = range.to - range.from;
      const top = await dimensions(s);
      const eventRows = sumBy(
        [...(await stored('ua_event_daily', s).select('*')), ...(await live(eventDaily, s))],
        ['event_name'],
        ['count', 'visitors']
      );
      const listRows = sumBy(
        [
          ...(await stored('ua_list_reads_daily', s).select('*')),
          ...(await live(listReadsDaily, s)),
        ],
        ['content_type'],
        ['count']
      );
      const rolledUpAt = await getService(strapi, 'job-lease').lastCompleted(ROLLUP_JOB);
      return {
        range: { from: iso(range.from), to: iso(range.to), interval: range.interval },
        totals: await totals(range, filter, dirtyDays),
        previous: await totals(
          { ...range, from: range.from - span, to: range.from },
          filter,
          dirtyDays
        ),
        series: await series(range, filter, s),
        topContent: await withTitles((await contentRows(s, filter)).slice(0, TOP)),
        topPaths: top('path'),
        topReferrers: top('referrer'),
        topCampaigns: top('utm_campaign'),
        devices: top('device'),
        browsers: top('browser'),
        operatingSystems: top('os'),
        countries: top('country'),
        events: eventRows
          .map((r) => ({ name: String(r.event_name), count: n(r.count), visitors: n(r.visitors) }))
          .sort((a, b) => b.count - a.count)
          .slice(0, TOP),
        listReads: listRows
          .map((r) => ({ contentType: String(r.content_type), count: n(r.count) }))
          .sort((a, b) => b.count - a.count),
        rolledUpAt: rolledUpAt ? iso(rolledUpAt) : null,
        generatedAt: iso(Date.now()),
      };
    },

    async content(
      range: Range,
      entry: { contentType: string; documentId: string; locale?: string }
    ): Promise<ContentStatsResponse['data'] | null> {
      const s = await split(range);
      const filter = { contentType: entry.contentType, locale: entry.locale };
      const rows = (await contentRows(s, filter)).filter((r) => r.documentId === entry.documentId);
      const summed =
        sumBy(
          rows as unknown as Row[],
          [],
          ['views', 'trackerPageviews', 'apiReads', 'visitors', 'events']
        )[0] ?? {};
      const engagedSeconds = rows.reduce((a, r) => a + r.avgEngagedSeconds * r.trackerPageviews, 0);
      const [titled] = await withTitles([{ ...entry, locale: entry.locale ?? null, title: null }]);
      const daily = await this.entrySeries(range, s, entry);
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
          views: n(summed.views),
          trackerPageviews: n(summed.trackerPageviews),
          apiReads: n(summed.apiReads),
          visitors: n(summed.visitors),
          avgEngagedSeconds: ratio(engagedSeconds, n(summed.trackerPageviews)),
          events: n(summed.events),
        },
        series: daily,
        editorial: editorial.map((e) => ({
          t: iso(n(e.ts)),
          action: String(e.action),
          locale: e.locale ?? null,
        })),
      };
    },

    async entrySeries(
      range: Range,
      s: Split,
      entry: { contentType: string; documentId: string; locale?: string }
    ) {
      const points = await series(
        range,
        { contentType: entry.contentType, locale: entry.locale },
        s
      );
      // series() filters by type and locale; narrow it to the one document.
      const hourly = range.interval === 'hour';
      const aggregate = hourly ? contentHourly : contentDaily;
      const key = hourly ? 'hour' : 'day';
      const rows = [
        ...(await filtered(stored(aggregate.table, s), entry)
          .where('document_id', entry.documentId)
          .select('*')),
        ...(await live(aggregate, s)).filter(
          (r) => matches(entry)(r) && r.document_id === entry.documentId
        ),
      ];
      const sums = new Map(
        sumBy(
          rows.map((r) => ({ ...r, views: hourly ? r.views : n(r.pageviews) + n(r.api_reads) })),
          [key],
          ['views', 'visitors']
        ).map((r) => [String(r[key]), r])
      );
      return points.map((p) => {
        const id = hourly ? String(Date.parse(p.t)) : p.t.slice(0, 10);
        const r = sums.get(id);
        return { t: p.t, views: n(r?.views), visitors: n(r?.visitors) };
      });
    },

    async realtime(now = Date.now()): Promise<RealtimeResponse['data']> {
      const since = now - 30 * 60_000;
      const recent = () =>
        knex()('ua_events').where('ts', '>=', since).whereIn('kind', ['pageview', 'api_read']);
      const [totalsRow] = await recent().select(
        knex().raw('COUNT(*) AS pageviews'),
        knex().raw('COUNT(DISTINCT visitor_hash) AS visitors')
      );
      const top = await recent()
        .whereNotNull('document_id')
        .select(
          'content_type',
          'document_id',
          'locale',
          knex().raw('COUNT(*) AS views'),
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
