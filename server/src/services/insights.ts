import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type {
  ContentSort,
  ContentTableResponse,
  EditorialResponse,
  EntryRef,
  InsightsResponse,
  SortOrder,
} from '../../../shared/contracts/insights';
import { servicesUsed } from '../get-service';
import { DAY_MS, HOUR_MS } from '../../../shared/time';
import { bucketTrend, sortContent } from '../stats/content-table';
import { movements, topMovers } from '../stats/movements';
import type { Range } from '../stats/stats-query';
import type { Filter } from './stats';

const LIST = 10;
const DECAY_DAYS = 28;
// Editorial rows read for one chart; a range with more activity shows the first ones.
const MAX_EDITORIAL_ROWS = 5000;
const n = (v: unknown) => Number(v ?? 0);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The dashboard's content table (sorted, paged, with a trend per row), its insights and the
 * editorial marks of its chart — all computed from the stats service's figures, so they agree
 * with the overview to the view.
 */
const createInsights = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['stats']);
  const knex = () => strapi.db.connection as unknown as Knex;
  const stats = () => use('stats');
  const rangeOut = (r: Range) => ({ from: iso(r.from), to: iso(r.to), interval: r.interval });

  const editorialRows = (range: Range, filter: Filter, actions: string[]) => {
    const q = knex()('ua_editorial').whereIn('action', actions).andWhere('ts', '<', range.to);
    if (filter.contentType) q.where('content_type', filter.contentType);
    // Publishing all locales at once is recorded without a locale: it counts for every locale.
    if (filter.locale) q.where((w) => w.where('locale', filter.locale!).orWhereNull('locale'));
    return q;
  };

  return {
    async contentTable(
      range: Range,
      filter: Filter,
      page: { sort: ContentSort; order: SortOrder; limit: number; offset: number }
    ): Promise<ContentTableResponse['data']> {
      const all = sortContent(await stats().allContent(range, filter), page.sort, page.order);
      const rows = await stats().withTitles(all.slice(page.offset, page.offset + page.limit));
      const trends = await stats().seriesOf(
        range,
        rows.map((r) => ({
          contentType: r.contentType,
          locale: r.locale ?? undefined,
          documentId: r.documentId,
        }))
      );
      return {
        range: rangeOut(range),
        ...page,
        total: all.length,
        rows: rows.map((r, i) => ({ ...r, trend: bucketTrend(trends[i].map((p) => p.views)) })),
      };
    },

    async insights(range: Range, filter: Filter, now = Date.now()) {
      const span = range.to - range.from;
      const previous: Range = { ...range, from: range.from - span, to: range.from };
      // Whole days only (up to today's midnight): a part of today against 28 full days would
      // make every steadily read entry look as if it were losing readers.
      const decayTo = now - (now % DAY_MS);
      const last: Range = {
        from: decayTo - DECAY_DAYS * DAY_MS,
        to: decayTo,
        interval: 'day',
        days: DECAY_DAYS,
      };
      const before: Range = { ...last, from: last.from - DECAY_DAYS * DAY_MS, to: last.from };
      const [current, prior, lastRows, beforeRows] = await Promise.all([
        stats().allContent(range, filter),
        stats().allContent(previous, filter),
        stats().allContent(last, filter),
        stats().allContent(before, filter),
      ]);

      // Latest publish / unpublish / delete of each document by the range's end.
      const actions = await editorialRows(range, filter, ['publish', 'unpublish', 'delete'])
        .select('content_type', 'document_id', 'action', knex().raw('MAX(ts) AS ts'))
        .whereNotNull('document_id')
        .groupBy('content_type', 'document_id', 'action');
      const latest = new Map<string, { action: string; ts: number; ref: EntryRef }>();
      for (const a of actions) {
        const id = `${a.content_type}|${a.document_id}`;
        const ts = n(a.ts);
        if ((latest.get(id)?.ts ?? -1) >= ts) continue;
        const ref = {
          contentType: String(a.content_type),
          documentId: String(a.document_id),
          locale: filter.locale ?? null,
          title: null,
        };
        latest.set(id, { action: String(a.action), ts, ref });
      }
      const viewed = new Set(current.map((r) => `${r.contentType}|${r.documentId}`));
      const unseen = [...latest.entries()]
        .filter(([id, l]) => l.action === 'publish' && !viewed.has(id))
        .map(([, l]) => l)
        .sort((a, b) => b.ts - a.ts || a.ref.documentId.localeCompare(b.ref.documentId))
        .slice(0, LIST);
      const titledUnseen = await stats().withTitles(unseen.map((l) => l.ref));

      const decaying = movements(lastRows, beforeRows)
        .filter((m) => m.change < 0)
        .sort((a, b) => a.change - b.change || a.documentId.localeCompare(b.documentId))
        .slice(0, LIST);
      const movers = topMovers(movements(current, prior), 5);
      const [decayingTitled, gains, losses] = await Promise.all([
        stats().withTitles(decaying),
        stats().withTitles(movers.gains),
        stats().withTitles(movers.losses),
      ]);
      const data: InsightsResponse['data'] = {
        range: { from: iso(range.from), to: iso(range.to) },
        neverViewed: titledUnseen.map((r, i) => ({ ...r, publishedAt: iso(unseen[i].ts) })),
        decaying: decayingTitled,
        decayWindow: {
          from: iso(last.from),
          to: iso(last.to),
          previousFrom: iso(before.from),
          previousTo: iso(before.to),
        },
        movers: { gains, losses },
      };
      return data;
    },

    /** Publications (by entry) and the number of updates per chart point of the range. */
    async editorial(range: Range, filter: Filter): Promise<EditorialResponse['data']> {
      const step = range.interval === 'hour' ? HOUR_MS : DAY_MS;
      const rows = await editorialRows(range, filter, ['publish', 'update'])
        .andWhere('ts', '>=', range.from)
        .orderBy('ts')
        .limit(MAX_EDITORIAL_ROWS)
        .select('ts', 'content_type', 'document_id', 'locale', 'action');
      const marks = new Map<number, { published: Map<string, EntryRef>; updates: number }>();
      for (const r of rows) {
        const ts = n(r.ts);
        const bucket = ts - ((ts - range.from) % step);
        const mark = marks.get(bucket) ?? { published: new Map(), updates: 0 };
        marks.set(bucket, mark);
        if (r.action === 'update') mark.updates += 1;
        else if (r.document_id) {
          mark.published.set(`${r.content_type}|${r.document_id}`, {
            contentType: String(r.content_type),
            documentId: String(r.document_id),
            locale: (r.locale as string | null) ?? null,
            title: null,
          });
        }
      }
      const sorted = [...marks.entries()].sort((a, b) => a[0] - b[0]);
      // One title lookup for every point's publications.
      const titled = await stats().withTitles(
        sorted.flatMap(([, mark]) => [...mark.published.values()])
      );
      let next = 0;
      const out = sorted.map(([t, mark]) => ({
        t: iso(t),
        published: titled.slice(next, (next += mark.published.size)),
        updates: mark.updates,
      }));
      return { range: rangeOut(range), marks: out };
    },
  };
};

export type InsightsService = ReturnType<typeof createInsights>;
export default createInsights;
