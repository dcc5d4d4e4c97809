import type { RequestStatsRow } from '../monitoring/minute-recorder';
import { cleanText } from './clean-text';
import type { EditorialRow, EventRow } from './event-row';
import { PROPS_LIMITS } from './event-props';
import { REDACTED, type Scrubber } from './personal-data';

/**
 * The edge every stored row passes before it is buffered: each value is made to fit its column
 * (migrations 001–006) on every database, and personal data is scrubbed from every free-text
 * value. Whatever a client sends, the database has no reason left to refuse the row.
 */

/** Column sizes in characters (JavaScript's UTF-16 length is never below the databases' count). */
export const COLUMN = {
  contentType: 255,
  documentId: 64,
  locale: 16,
  path: 2000,
  text: 255,
  device: 16,
  label: 32,
  country: 2,
  eventName: 120,
  action: 32,
  route: 255,
} as const;
/** `props` is a TEXT column: 65 535 bytes on MySQL/MariaDB. */
export const PROPS_MAX_BYTES = 65_535;

const METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);
/** The label of any other HTTP method (Node accepts `UNSUBSCRIBE`, longer than the column). */
export const OTHER_METHOD = 'OTHER';

/** Cut to `max` UTF-16 units without splitting a surrogate pair. */
function cut(value: string | null, max: number): string | null {
  if (value === null || value.length <= max) return value || null;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max) || null;
}

/** Control characters and lone surrogates removed, cut to `max`. */
export const fitText = (value: string | null | undefined, max: number): string | null =>
  cut(cleanText(value), max);

export const fitMethod = (method: string): string => (METHODS.has(method) ? method : OTHER_METHOD);

export interface RowFitterOptions {
  scrubber: Scrubber;
  /** The configured locale code matching a locale, or null (collection/configured-locales.ts). */
  matchLocale: (locale: string | null) => string | null;
}

/** Fits and scrubs rows in place (they are new objects nobody else holds) and returns them. */
export function createRowFitter({ scrubber, matchLocale }: RowFitterOptions) {
  const text = (value: string | null, max: number): string | null => {
    const cleaned = cleanText(value);
    return cleaned === null ? null : cut(scrubber.text(cleaned), max);
  };

  const props = (json: string | null): string | null => {
    if (json === null) return null;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(json);
    } catch {
      return null;
    }
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries(parsed)) {
      const k = text(key, PROPS_LIMITS.keyBytes);
      if (k === null) continue;
      const v = scrubber.isSecretKey(k)
        ? REDACTED
        : typeof value === 'string'
          ? text(value, PROPS_MAX_BYTES)
          : value;
      if (v !== null) entries.push([k, v]);
    }
    // Past the TEXT column's byte limit, the last pairs go.
    while (entries.length) {
      const out = JSON.stringify(Object.fromEntries(entries));
      if (Buffer.byteLength(out, 'utf8') <= PROPS_MAX_BYTES) return out;
      entries.pop();
    }
    return null;
  };

  return {
    event(row: EventRow): EventRow {
      row.content_type = fitText(row.content_type, COLUMN.contentType);
      row.document_id = fitText(row.document_id, COLUMN.documentId);
      row.locale = matchLocale(row.locale);
      const path = cleanText(row.path);
      row.path = (path === null ? null : cut(scrubber.path(path), COLUMN.path)) ?? '/';
      row.referrer_host = text(row.referrer_host, COLUMN.text);
      row.utm_source = text(row.utm_source, COLUMN.text);
      row.utm_medium = text(row.utm_medium, COLUMN.text);
      row.utm_campaign = text(row.utm_campaign, COLUMN.text);
      row.device = fitText(row.device, COLUMN.device);
      row.browser = fitText(row.browser, COLUMN.label);
      row.os = fitText(row.os, COLUMN.label);
      row.country = fitText(row.country, COLUMN.country);
      row.event_name =
        row.kind === 'event' ? (text(row.event_name, COLUMN.eventName) ?? '(unnamed)') : null;
      row.props = props(row.props);
      return row;
    },

    editorial(row: EditorialRow): EditorialRow {
      row.content_type = fitText(row.content_type, COLUMN.contentType) ?? '';
      row.document_id = fitText(row.document_id, COLUMN.documentId);
      row.locale = matchLocale(row.locale);
      row.action = fitText(row.action, COLUMN.action) ?? 'unknown';
      return row;
    },
  };
}

export type RowFitter = ReturnType<typeof createRowFitter>;

/** A request-statistics row that fits `ua_request_stats`. */
export function fitRequestStatsRow(row: RequestStatsRow): RequestStatsRow {
  row.method = fitMethod(row.method);
  row.route = fitText(row.route, COLUMN.route) ?? '(unmatched)';
  return row;
}
