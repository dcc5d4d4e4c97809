import type { Core } from '@strapi/strapi';
import type {
  ListViewConfigResponse,
  ListViewViewsResponse,
} from '../../../shared/contracts/list-view';
import { LIST_VIEW_DAYS } from '../../../shared/contracts/list-view';
import { servicesUsed } from '../get-service';
import { DAY_MS, isoDay } from '../../../shared/time';
import { resolveRange, type Range } from '../stats/stats-query';

/** The last LIST_VIEW_DAYS whole UTC days up to today, as the dashboard's "Last 30 days". */
export function lastDays(now = Date.now(), days = LIST_VIEW_DAYS): Range {
  const today = now - (now % DAY_MS);
  const range = resolveRange({ from: isoDay(today - (days - 1) * DAY_MS), to: isoDay(today) }, now);
  if (typeof range === 'string') throw new Error(range);
  return range;
}

/** What the Content Manager's list view column shows: its switch, and the views of a page. */
const createListView = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['plugin-config', 'stats']);
  return {
    config(): ListViewConfigResponse['data'] {
      const config = use('plugin-config').get();
      const excluded = new Set(config.excludeContentTypes);
      const contentTypes = Object.entries(strapi.contentTypes)
        .filter(
          ([uid, type]) =>
            uid.startsWith('api::') && type.kind === 'collectionType' && !excluded.has(uid)
        )
        .map(([uid]) => uid)
        .sort();
      return { enabled: config.listViewColumn, contentTypes };
    },

    /**
     * Views of `documentIds` of one content type over the last 30 days: picked from the content
     * type's ranking that the dashboard's content table reads too (stats.allContent, kept in memory
     * while the days' versions stand), so a page of the list costs one lookup, not one per row.
     * Without `locale`, an entry's locales are summed.
     */
    async views(
      contentType: string,
      documentIds: string[],
      locale: string | undefined
    ): Promise<ListViewViewsResponse['data']> {
      const range = lastDays();
      const rows = await use('stats').allContent(range, { contentType, locale });
      const views: Record<string, number> = Object.fromEntries(documentIds.map((id) => [id, 0]));
      for (const row of rows) {
        if (row.documentId in views) views[row.documentId] += row.views;
      }
      return {
        range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
        views,
      };
    },
  };
};

export type ListViewService = ReturnType<typeof createListView>;
export default createListView;
