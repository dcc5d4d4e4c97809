import { MINUTE_MS } from '../../../shared/time';
import type { EventProps } from './event-props';

export type EventKind = 'pageview' | 'event' | 'engagement' | 'api_read' | 'list_read';
export type EventSource = 'api' | 'tracker' | 'plausible' | 'umami';

/** A usage event as the collectors describe it, before anonymisation. */
export interface Hit {
  kind: EventKind;
  source: EventSource;
  ts: number;
  path: string | null;
  referrerHost?: string | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  contentType?: string | null;
  documentId?: string | null;
  locale?: string | null;
  eventName?: string | null;
  props?: EventProps | null;
  engagedMs?: number | null;
  scrollDepth?: number | null;
}

/** One row of `ua_events`, every column present so a batch is one multi-row INSERT. */
export interface EventRow {
  ts: number;
  kind: EventKind;
  source: EventSource;
  content_type: string | null;
  document_id: string | null;
  locale: string | null;
  path: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  device: string | null;
  browser: string | null;
  os: string | null;
  country: string | null;
  visitor_hash: string | null;
  engaged_ms: number | null;
  scroll_depth: number | null;
  event_name: string | null;
  props: string | null;
  /**
   * How many identical hits this row stands for: Content API reads (and list reads) of the same
   * thing by the same visitor within the same minute are merged while buffered; 1 otherwise.
   */
  hits: number;
}

/**
 * The merge key of a row that may stand for several hits, or null: API reads and list reads of
 * the same entry/path by the same visitor in the same UTC minute (never across an hour or day).
 */
export function mergeKeyOf(row: EventRow): string | null {
  if (row.kind !== 'api_read' && row.kind !== 'list_read') return null;
  const minute = Math.floor(row.ts / MINUTE_MS);
  return `${row.kind}\u0000${row.visitor_hash}\u0000${row.content_type}\u0000${row.document_id}\u0000${row.locale}\u0000${row.path}\u0000${minute}`;
}

/** One row of `ua_editorial`. */
export interface EditorialRow {
  ts: number;
  content_type: string;
  document_id: string | null;
  locale: string | null;
  action: string;
}
