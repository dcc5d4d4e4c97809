import type { Core } from '@strapi/strapi';
import type { ContentSort, SortOrder } from '../../../shared/contracts/insights';
import { requestAbility } from '../stats/entry-titles';
import { servicesUsed } from '../get-service';
import { DAY_MS, isoDay } from '../../../shared/time';
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

/**
 * The dashboard's content table and time series as CSV lines: the figures are read before the
 * first line, the content rows' titles looked up a batch at a time as the lines are written.
 */
const createExport = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['stats']);
  const stats = () => use('stats');
  return {
    /** `usage-analytics-<what>-<first day>_<last day>.csv` */
    fileName: (what: string, range: Range) =>
      `usage-analytics-${what}-${isoDay(range.from)}_${isoDay(range.to - DAY_MS)}.csv`,

    async *contentCsv(
      range: Range,
      filter: Filter,
      order: { sort: ContentSort; order: SortOrder }
    ): AsyncGenerator<string> {
      // Read during the request: the later batches are looked up while the file streams.
      const ability = requestAbility(strapi);
      const rows = sortContent(await stats().allContent(range, filter), order.sort, order.order);
      const titled = (i: number) => stats().withTitles(rows.slice(i, i + BATCH), ability);
      // Queried before the header: the controller awaits the first line before answering.
      let batch = await titled(0);
      yield csvLine(CONTENT_COLUMNS);
      for (let i = 0; i < rows.length; i += BATCH) {
        if (i > 0) batch = await titled(i);
        for (const r of batch) {
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
      const points = await stats().series(range, filter);
      yield csvLine(SERIES_COLUMNS);
      for (const p of points) yield csvLine([p.t, p.views, p.visitors]);
    },
  };
};

export type ExportService = ReturnType<typeof createExport>;
export default createExport;
