import type { Knex } from 'knex';
import type { Row } from './rows';

/** What the stats can be narrowed to: a content type, a locale. */
export interface Filter {
  contentType?: string;
  locale?: string;
}

/** One entry of a content type (in one locale, or all of them). */
export interface Entry {
  contentType: string;
  documentId: string;
  locale?: string;
}

/** How many entries, paths, referrers… a top list shows. */
export const TOP = 10;

export const n = (v: unknown) => Number(v ?? 0);
export const iso = (ms: number) => new Date(ms).toISOString();
export const ratio = (a: number, b: number, digits = 1) =>
  b ? Math.round((a / b) * 10 ** digits) / 10 ** digits : 0;

/** `COALESCE(SUM(f), 0) AS f` for each field. */
export const sums = (knex: Knex, fields: string[]) =>
  fields.map((f) => knex.raw('COALESCE(SUM(??), 0) AS ??', [f, f]));

/** The filter as a predicate over content aggregate rows named by `namedEntries` (the live tail's). */
export const matches = (filter: Filter & { documentId?: string }) => (row: Row) =>
  (!filter.contentType || row.content_type === filter.contentType) &&
  (!filter.locale || row.locale === filter.locale) &&
  (!filter.documentId || row.document_id === filter.documentId);

/** The filter as part of a cache key. */
export const filterTag = (filter: Filter & { documentId?: string }) =>
  JSON.stringify([filter.contentType ?? null, filter.locale ?? null, filter.documentId ?? null]);

/**
 * The filter applied to a query over a content aggregate, whose rows name their entry by its id
 * in `ua_entries` (where an absent locale is '').
 */
export const filtered = (q: Knex.QueryBuilder, filter: Filter & { documentId?: string }) => {
  if (!filter.contentType && !filter.locale && !filter.documentId) return q;
  return q.whereIn('entry_id', (entries: Knex.QueryBuilder) => {
    entries.from('ua_entries').select('id');
    if (filter.contentType) entries.where('content_type', filter.contentType);
    if (filter.locale) entries.where('locale', filter.locale);
    if (filter.documentId) entries.where('document_id', filter.documentId);
  });
};
