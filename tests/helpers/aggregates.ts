import type { Knex } from 'knex';
import type { EventRow } from '../../server/src/collection/event-row';
import type { RawEvent } from './ground-truth';

/** A row with numeric strings (PostgreSQL BIGINT/SUM) turned into numbers. */
export const numeric = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v,
    ])
  );

/** ua_site_daily as { day: { pageviews, api_reads, … } }. */
export async function storedSiteDaily(knex: Knex) {
  const rows = await knex('ua_site_daily').select('*').orderBy('day');
  return Object.fromEntries(
    rows.map((r) => {
      const { day, ...rest } = numeric(r);
      return [String(day), rest as Record<string, number>];
    })
  );
}

/** ua_content_daily as { 'day|type|documentId|locale': { pageviews, api_reads, visitors, engaged_ms, events } }. */
export async function storedContentDaily(knex: Knex) {
  const rows = await knex('ua_content_daily').select('*');
  return Object.fromEntries(
    rows.map((r) => {
      const n = numeric(r);
      const { pageviews, api_reads, visitors, engaged_ms, events } = n;
      return [
        `${n.day}|${n.content_type}|${n.document_id}|${n.locale ?? ''}`,
        { pageviews, api_reads, visitors, engaged_ms, events },
      ];
    })
  );
}

export async function rawEvents(knex: Knex): Promise<RawEvent[]> {
  return (await knex('ua_events').select('*')).map((r) => numeric(r) as unknown as RawEvent);
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
    ...row,
  };
}
