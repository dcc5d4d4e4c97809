import type { Core } from '@strapi/strapi';
import type {
  EntryViewsResponse,
  PopularEntry,
  PopularResponse,
} from '../../../shared/contracts/public-stats';
import { servicesUsed } from '../get-service';
import { publishedTitles, titleOf } from '../stats/entry-titles';
import { publishedOnly } from '../stats/published-entries';
import {
  periodMeta,
  periodRange,
  type EntryViewsQuery,
  type PopularQuery,
} from '../stats/public-query';

/** How long an answer is reused (and how long a public answer may be cached by others). */
export const PUBLIC_CACHE_SECONDS = 60;
const MAX_CACHED = 1000;

/**
 * The Content API's figures for frontends, from the stats service: totals per entry only (never
 * a visitor), of published entries of the content types the caller may read. Answers are kept in
 * memory for PUBLIC_CACHE_SECONDS under the query and the set of types the caller may read, so
 * callers with the same rights share them and never see another's.
 */
const createPublicStats = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['stats']);
  const cache = new Map<string, { expires: number; value: Promise<unknown> }>();

  function cached<T>(key: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = cache.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (hit) cache.delete(key);
    for (const [k, v] of cache) if (cache.size >= MAX_CACHED || v.expires <= now) cache.delete(k);
    const value = compute();
    cache.set(key, { expires: now + PUBLIC_CACHE_SECONDS * 1000, value });
    value.catch(() => cache.delete(key));
    return value;
  }

  async function popular(query: PopularQuery, readable: Set<string>): Promise<PopularResponse> {
    const range = periodRange(query.period);
    const stats = use('stats');
    const rows = (
      await stats.allContent(range, { contentType: query.contentType, locale: query.locale })
    ).filter((r) => readable.has(r.contentType));
    // Most viewed first: check publication a slice at a time until the list is full.
    const picked: typeof rows = [];
    const slice = Math.max(query.limit * 2, 50);
    for (let i = 0; i < rows.length && picked.length < query.limit; i += slice) {
      picked.push(...(await publishedOnly(strapi, rows.slice(i, i + slice))));
    }
    const page = picked.slice(0, query.limit);
    const titles = await publishedTitles(strapi, page);
    const titled = page.map((r) => ({ ...r, title: titleOf(titles, r) }));
    return {
      data: titled.map(
        (r): PopularEntry => ({
          contentType: r.contentType,
          documentId: r.documentId,
          locale: r.locale,
          title: r.title,
          views: r.views,
          visitors: r.visitors,
        })
      ),
      meta: {
        ...periodMeta(query.period, range),
        contentType: query.contentType ?? null,
        locale: query.locale ?? null,
        limit: query.limit,
      },
    };
  }

  /** Null when the entry is not published (in that locale). */
  async function entryViews(query: EntryViewsQuery): Promise<EntryViewsResponse | null> {
    const entry = {
      contentType: query.contentType,
      documentId: query.documentId,
      locale: query.locale ?? null,
    };
    if (!(await publishedOnly(strapi, [entry])).length) return null;
    const range = periodRange(query.period);
    const series = await use('stats').series(range, {
      contentType: query.contentType,
      documentId: query.documentId,
      locale: query.locale,
    });
    return {
      data: {
        ...entry,
        views: series.reduce((sum, p) => sum + p.views, 0),
        visitors: series.reduce((sum, p) => sum + p.visitors, 0),
      },
      meta: periodMeta(query.period, range),
    };
  }

  return {
    popular(query: PopularQuery, readable: Set<string>) {
      const key = JSON.stringify(['popular', [...readable].sort(), query]);
      return cached(key, () => popular(query, readable));
    },
    /** The caller's right to read the type is checked before (the answer does not depend on it). */
    entryViews(query: EntryViewsQuery) {
      return cached(JSON.stringify(['views', query]), () => entryViews(query));
    },
  };
};

export type PublicStatsService = ReturnType<typeof createPublicStats>;
export default createPublicStats;
