import type { Knex } from 'knex';
import type { EventRow } from '../../server/src/collection/event-row';
import { withEntryIds, type EntryColumns } from '../../server/src/collection/entry-ids';
import type { RawEvent } from './ground-truth';

/** A row with numeric strings (PostgreSQL BIGINT/SUM) turned into numbers. */
export const numeric = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v,
    ])
  );

const CONTENT_TABLES = ['ua_content_daily', 'ua_content_hourly', 'ua_content_monthly'];

/**
 * An aggregate table as logical rows, a query to add to: the content aggregates' rows with their
 * entry's content type, document id and locale (null when absent) read back from `ua_entries`.
 */
export function aggregateRows(knex: Knex, table: string) {
  const rows = knex(table);
  if (CONTENT_TABLES.includes(table)) {
    // `from` replaces the table in place, leaving the query typed as the table's.
    rows.from(
      knex.raw(
        "(SELECT c.*, n.content_type, n.document_id, NULLIF(n.locale, '') AS locale " +
          `FROM ${table} c JOIN ua_entries n ON n.id = c.entry_id) ${table}`
      )
    );
  }
  return rows;
}

/** Writes logical rows (with content type, document id, locale) to a content aggregate. */
export async function insertContentRows<Row extends EntryColumns>(
  knex: Knex,
  table: string,
  rows: Row[]
): Promise<void> {
  await knex(table).insert(await withEntryIds(knex, rows));
}

/**
 * An aggregate table summed by key, as readers see it (the rollup appends partial rows that
 * compaction merges later): rows of `keys` and the summed `fields`, ordered by key.
 */
export async function storedSums(
  knex: Knex,
  table: string,
  keys: string[],
  fields: string[],
  where: Record<string, unknown> = {}
): Promise<Array<Record<string, unknown>>> {
  const rows = await aggregateRows(knex, table)
    .where(where)
    .select(...keys, ...fields.map((f) => knex.raw('SUM(??) AS ??', [f, f])))
    .groupBy(keys)
    .orderBy(keys);
  return rows.map(numeric);
}

/** ua_site_daily as { day: { pageviews, api_reads, … } }. */
export async function storedSiteDaily(knex: Knex) {
  const fields = [
    'pageviews',
    'api_reads',
    'visitors',
    'sessions',
    'bounces',
    'engaged_ms',
    'events',
  ];
  const rows = await storedSums(knex, 'ua_site_daily', ['day'], fields);
  return Object.fromEntries(
    rows.map((r) => {
      const { day, ...rest } = r;
      return [String(day), rest as Record<string, number>];
    })
  );
}

/** ua_content_daily as { 'day|type|documentId|locale': { pageviews, api_reads, visitors, engaged_ms, events } }. */
export async function storedContentDaily(knex: Knex) {
  const fields = ['pageviews', 'api_reads', 'visitors', 'engaged_ms', 'events'];
  const keys = ['day', 'content_type', 'document_id', 'locale'];
  const rows = await storedSums(knex, 'ua_content_daily', keys, fields);
  return Object.fromEntries(
    rows.map((n) => {
      const { pageviews, api_reads, visitors, engaged_ms, events } = n;
      return [
        `${n.day}|${n.content_type}|${n.document_id}|${n.locale ?? ''}`,
        { pageviews, api_reads, visitors, engaged_ms, events },
      ];
    })
  );
}

/**
 * `ua_events` as logical rows, a query to add to (`where`, `orderBy`, `select`…): each row with
 * its entry's content type, document id and locale read back from the dictionary `ua_entries`
 * (where an absent value is '').
 */
export function eventRows(knex: Knex) {
  const rows = knex('ua_events');
  // `from` replaces the table in place, leaving the query typed as the table's.
  rows.from(
    knex.raw(
      "(SELECT e.*, NULLIF(n.content_type, '') AS content_type, " +
        "NULLIF(n.document_id, '') AS document_id, NULLIF(n.locale, '') AS locale " +
        'FROM ua_events e LEFT JOIN ua_entries n ON n.id = e.entry_id) ua_events'
    )
  );
  return rows;
}

export async function rawEvents(knex: Knex): Promise<RawEvent[]> {
  return (await eventRows(knex).select('*')).map((r: Record<string, unknown>) => {
    const { entry_id: _entry, ...row } = r;
    return numeric(row) as unknown as RawEvent;
  });
}

/** A raw ua_events row for tests that write history directly; every column has a default. */
export function rawEventRow(row: Partial<EventRow> & Pick<EventRow, 'ts' | 'kind'>): EventRow {
  return {
    source: 'tracker',
    content_type: null,
    document_id: null,
    locale: 'en',
    path: '/old',
    referrer_host: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    device: 'desktop',
    browser: 'Chrome',
    os: 'Windows',
    country: null,
    visitor_hash: 'f'.repeat(32),
    engaged_ms: null,
    scroll_depth: null,
    event_name: null,
    props: null,
    hits: 1,
    ...row,
  };
}
