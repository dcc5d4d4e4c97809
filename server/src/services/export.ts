import type { Core } from '@strapi/strapi';
import type { ContentSort, SortOrder } from '../../../shared/contracts/insights';
import { getService } from '../get-service';
import { DAY_MS } from '../rollup/day-range';
import { sortContent } from '../stats/content-table';
import { csvLine } from '../stats/csv';
import type { Range } from '../stats/stats-query';
import type { Filter } from './stats';

// Titles are looked up this many rows at a time, and each batch is written before the next.
const BATCH = 200;

export const CONTENT_COLUMNS = [
  'content_type',
  'document_id',
  'locale',
  'title',
  'views',
  'tracker_pageviews',
  'api_reads',
  'visitors',
  'avg_engaged_seconds',
  'events',
];
export const SERIES_COLUMNS = ['time', 'pageviews', 'visitors'];

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The dashboard's content table and time series as CSV lines, produced as they are written. */
const createExport = ({ strapi }: { strapi: Core.Strapi }) => {
  const stats = () => getService(strapi, 'stats');
  return {
    /** `usage-analytics-<what>-<first day>_<last day>.csv` */
    fileName: (what: string, range: Range) =>
      `usage-analytics-${what}-${day(range.from)}_${day(range.to - DAY_MS)}.csv`,

    async *contentCsv(
      range: Range,
      filter: Filter,
      order: { sort: ContentSort; order: SortOrder }
    ): AsyncGenerator<string> {
      yield csvLine(CONTENT_COLUMNS);
      const rows = sortContent(await stats().allContent(range, filter), order.sort, order.order);
      for (let i = 0; i < rows.length; i += BATCH) {
        for (const r of await stats().withTitles(rows.slice(i, i + BATCH))) {
          yield csvLine([
            r.contentType,
            r.documentId,
            r.locale,
            r.title,
            r.views,
            r.trackerPageviews,
            r.apiReads,
            r.visitors,
            r.avgEngagedSeconds,
            r.events,
          ]);
        }
      }
    },

    async *seriesCsv(range: Range, filter: Filter): AsyncGenerator<string> {
      yield csvLine(SERIES_COLUMNS);
      for (const p of await stats().series(range, filter))
        yield csvLine([p.t, p.views, p.visitors]);
    },
  };
};

export type ExportService = ReturnType<typeof createExport>;
export default createExport;
