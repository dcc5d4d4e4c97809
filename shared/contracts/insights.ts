/** Admin API of the dashboard's content table, insights, editorial marks and CSV export. */
import type { ContentRow, Interval, RangeQuery } from './stats';

export const CONTENT_SORTS = ['views', 'visitors', 'engaged'] as const;
export type ContentSort = (typeof CONTENT_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export interface ContentTableQuery extends RangeQuery {
  sort?: ContentSort;
  order?: SortOrder;
  /** Rows per page, 1–100 (default 10). */
  limit?: number;
  offset?: number;
}

export interface ContentTableResponse {
  data: {
    range: { from: string; to: string; interval: Interval };
    sort: ContentSort;
    order: SortOrder;
    limit: number;
    offset: number;
    /** Entries viewed in the range, over all pages. */
    total: number;
    /** `trend`: views per point of the range (at most 30 points, summed buckets). */
    rows: Array<ContentRow & { trend: number[] }>;
  };
}

export interface EntryRef {
  contentType: string;
  documentId: string;
  locale: string | null;
  title: string | null;
}

export interface Movement extends EntryRef {
  current: number;
  previous: number;
  /** current − previous views */
  change: number;
}

export interface InsightsResponse {
  data: {
    range: { from: string; to: string };
    /** Published (latest editorial action by the range's end) and not one view in the range. */
    neverViewed: Array<EntryRef & { publishedAt: string }>;
    /** Fewer views in the last 28 days than in the 28 before, biggest loss first. */
    decaying: Movement[];
    decayWindow: { from: string; to: string; previousFrom: string; previousTo: string };
    /** Against the period of the same length just before the range. */
    movers: { gains: Movement[]; losses: Movement[] };
  };
}

export interface EditorialMark {
  /** Start of the chart point (hour or day) the activity falls on. */
  t: string;
  published: EntryRef[];
  updates: number;
}

export interface EditorialResponse {
  data: { range: { from: string; to: string; interval: Interval }; marks: EditorialMark[] };
}
