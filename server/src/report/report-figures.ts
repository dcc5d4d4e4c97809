/** What the weekly report says: the figures of one week and the week before. */
export interface ReportEntry {
  title: string | null;
  contentType: string;
  documentId: string;
}

export interface ReportFigures {
  /** First and last day of the week reported (ISO dates, UTC). */
  from: string;
  to: string;
  views: number;
  previousViews: number;
  visitors: number;
  previousVisitors: number;
  top: Array<ReportEntry & { views: number; visitors: number }>;
  rising: Array<ReportEntry & { current: number; previous: number; change: number }>;
  /** Published during the week and not viewed once. */
  neverViewed: Array<ReportEntry & { publishedAt: string }>;
  /** % of the week's minutes with a live instance (null: nothing measured). */
  availability: number | null;
  requests: number;
  /** 5xx ÷ all requests, 0–1. */
  errorRate: number;
  /** The dashboard in the admin panel, or null when the admin URL is not absolute. */
  dashboardUrl: string | null;
}
