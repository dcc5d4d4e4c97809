/** Admin stats API: request parameters and responses shared by the server and the admin panel. */
export type Interval = 'hour' | 'day';

export interface RangeQuery {
  /** ISO date or date-time (UTC); rounded down to the start of its UTC day. Default: 6 days before `to`. */
  from?: string;
  /** ISO date or date-time (UTC), inclusive day; rounded up to the end of its UTC day. Default: today. */
  to?: string;
  interval?: Interval;
  contentType?: string;
  locale?: string;
}

export interface Totals {
  /** Views: tracker pageviews plus Content API reads of one document. */
  pageviews: number;
  trackerPageviews: number;
  apiReads: number;
  /** Unique visitors per day, summed over the days (hashes rotate daily by design). */
  visitors: number;
  /** Site-wide only; null when the query is filtered to a content type or locale. */
  sessions: number | null;
  bounceRate: number | null;
  avgEngagedSeconds: number;
  events: number;
}

export interface Ranked {
  value: string;
  pageviews: number;
  visitors: number;
}

export interface ContentRow {
  contentType: string;
  documentId: string;
  locale: string | null;
  title: string | null;
  views: number;
  trackerPageviews: number;
  apiReads: number;
  visitors: number;
  avgEngagedSeconds: number;
  events: number;
}

export interface OverviewResponse {
  data: {
    range: { from: string; to: string; interval: Interval };
    totals: Totals;
    previous: Totals;
    series: Array<{ t: string; pageviews: number; visitors: number }>;
    topContent: ContentRow[];
    topPaths: Ranked[];
    topReferrers: Ranked[];
    topCampaigns: Ranked[];
    devices: Ranked[];
    browsers: Ranked[];
    operatingSystems: Ranked[];
    countries: Ranked[];
    events: Array<{ name: string; count: number; visitors: number }>;
    listReads: Array<{ contentType: string; count: number }>;
    /** When the rollup last completed; days changed since are read from raw rows. */
    rolledUpAt: string | null;
    generatedAt: string;
  };
}

export interface ContentStatsResponse {
  data: {
    range: { from: string; to: string; interval: Interval };
    entry: { contentType: string; documentId: string; locale: string | null; title: string | null };
    totals: Omit<ContentRow, 'contentType' | 'documentId' | 'locale' | 'title'>;
    series: Array<{ t: string; views: number; visitors: number }>;
    editorial: Array<{ t: string; action: string; locale: string | null }>;
  };
}

export interface RealtimeResponse {
  data: {
    since: string;
    visitors: number;
    pageviews: number;
    topContent: Array<
      Pick<ContentRow, 'contentType' | 'documentId' | 'locale' | 'title' | 'views' | 'visitors'>
    >;
  };
}
