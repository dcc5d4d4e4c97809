/**
 * The Content API for frontends: GET /api/usage-analytics/popular and
 * GET /api/usage-analytics/views/:contentType/:documentId. Totals only, published entries only.
 */
export const PUBLIC_PERIODS = ['7d', '30d', '90d'] as const;
export type PublicPeriod = (typeof PUBLIC_PERIODS)[number];

export interface PublicPeriodRange {
  period: PublicPeriod;
  /** First day counted (ISO date, UTC). */
  from: string;
  /** Last day counted (ISO date, UTC; today). */
  to: string;
}

export interface PopularEntry {
  contentType: string;
  documentId: string;
  locale: string | null;
  title: string | null;
  views: number;
  visitors: number;
}

/** GET /api/usage-analytics/popular */
export interface PopularResponse {
  data: PopularEntry[];
  meta: PublicPeriodRange & { contentType: string | null; locale: string | null; limit: number };
}

/** GET /api/usage-analytics/views/:contentType/:documentId */
export interface EntryViewsResponse {
  data: {
    contentType: string;
    documentId: string;
    locale: string | null;
    views: number;
    visitors: number;
  };
  meta: PublicPeriodRange;
}
