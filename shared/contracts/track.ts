/**
 * POST /api/usage-analytics/track — the first-party tracker's event. Sent as `text/plain` (or
 * `application/json`); the body is JSON either way.
 */
export interface TrackPayload {
  type: 'pageview' | 'event' | 'engagement';
  /** The page's full URL; only the path and utm_* parameters are kept. */
  url: string;
  referrer?: string | null;
  /** Custom event name (type "event"). */
  name?: string;
  /** Custom event properties: at most 30 scalar values. */
  props?: Record<string, string | number | boolean | null>;
  /** The content entry this page shows, so stats follow the entry rather than its URL. */
  contentType?: string;
  documentId?: string;
  locale?: string;
  /** Engagement events: time the page was visible and focused, and the deepest scroll (%). */
  engagedMs?: number;
  scrollDepth?: number;
}

/** Header set on a 202 answer when the event was valid but not recorded, with the reason. */
export const DROPPED_HEADER = 'x-usage-analytics-dropped';
