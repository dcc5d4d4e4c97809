import type { Knex } from 'knex';
import { hourBucket } from './dialect';
import { rawRows, type RawSource } from './sources';
import {
  CONTENT,
  CONTENT_HOUR,
  EVENT,
  SITE,
  SITE_HOUR,
  dimensionKey,
  dimensionScope,
  newVisitors,
  type UniqueScope,
} from './unique-visitors';

/**
 * Every aggregate table, and how the raw rows of a source (a rollup chunk, or the pending tail)
 * on one UTC day add to it: one SQL query each (GROUP BY inside the database). The rollup appends
 * the results as partial rows; readers sum the rows of a key; compaction merges them. Columns
 * are always `day`, then `keys`, then `sums`, in that order.
 */
export interface Aggregate {
  table: string;
  keys: string[];
  sums: string[];
  /** The visitor scopes this aggregate counts unique visitors in. */
  scopes: UniqueScope[];
  /** How each key is read from a row of `newVisitors` (aliased `r`). */
  keysFromVisitors?: Record<string, string>;
  /**
   * The counts of `source`'s rows on `day`, grouped by key, with `visitors` 0: unique visitors
   * come as separate partial rows (`visitorPartial`).
   */
  partial(knex: Knex, source: RawSource, day: string): Knex.QueryBuilder | Knex.Raw;
}

const columnsOf = (a: Aggregate) => ['day', ...a.keys, ...a.sums];

/**
 * Appends the rows `query` selects — `day`, then `a`'s keys, then its sums, in that order — to
 * `table` (`a`'s own, or one with the same columns), in one `INSERT … SELECT`.
 */
export async function insertSelected(
  knex: Knex,
  a: Aggregate,
  query: Knex.Raw | Knex.QueryBuilder,
  table = a.table
): Promise<void> {
  const { sql, bindings } = query.toSQL();
  const columns = columnsOf(a);
  await knex.raw(`INSERT INTO ?? (${columns.map(() => '??').join(', ')}) ${sql}`, [
    table,
    ...columns,
    ...(bindings as Knex.Value[]),
  ]);
}

/**
 * Partial rows of `a` holding only the visitors of `source`'s rows on `day` that no rolled-up raw
 * row counted yet (unique-visitors.ts), every other sum 0.
 */
export function visitorPartial(
  knex: Knex,
  a: Aggregate,
  source: RawSource,
  day: string
): Knex.Raw | null {
  if (!a.scopes.length || !a.keysFromVisitors) return null;
  const r = newVisitors(knex, a.scopes, source, day);
  const keys = a.keys.map((k) => `${a.keysFromVisitors?.[k]} AS ${k}`);
  const sums = a.sums.map((f) => (f === 'visitors' ? 'r.visitors' : `0 AS ${f}`));
  return knex.raw(`SELECT r.day, ${[...keys, ...sums].join(', ')} FROM (${r.sql}) r`, r.bindings);
}

const visitorsOf = () => '0 AS visitors';

const VIEW_KINDS = ['pageview', 'api_read'];
// Counts weigh each raw row by `hits` (identical API reads within a minute are one row).
const countWhen = (knex: Knex, condition: string, alias: string) =>
  knex.raw(`SUM(CASE WHEN ${condition} THEN e.hits ELSE 0 END) AS ??`, [alias]);
const hits = (knex: Knex, alias: string) => knex.raw('SUM(e.hits) AS ??', [alias]);
const engagedMs = (knex: Knex) =>
  knex.raw(
    "COALESCE(SUM(CASE WHEN e.kind = 'engagement' THEN e.engaged_ms ELSE 0 END), 0) AS engaged_ms"
  );
const dayColumn = (knex: Knex, day: string) => knex.raw('? AS day', [day]);
const events = (knex: Knex, source: RawSource, day: string) =>
  rawRows(knex, 'ua_events', source, day);
// Raw events name their content entry by its id in `ua_entries` (aliased `n`), and so do the
// content aggregates: only entries with both a content type and a document id (where an absent
// value is '').
const entryEvents = (knex: Knex, source: RawSource, day: string) =>
  events(knex, source, day)
    .join({ n: 'ua_entries' }, 'n.id', 'e.entry_id')
    .where('n.content_type', '<>', '')
    .where('n.document_id', '<>', '');

export const siteDaily: Aggregate = {
  table: 'ua_site_daily',
  keys: [],
  sums: ['pageviews', 'api_reads', 'visitors', 'sessions', 'bounces', 'engaged_ms', 'events'],
  scopes: [SITE],
  keysFromVisitors: {},
  // Sessions and bounces are added by rollup/sessions.ts.
  partial: (knex, source, day) =>
    events(knex, source, day)
      .select(
        dayColumn(knex, day),
        countWhen(knex, "e.kind = 'pageview'", 'pageviews'),
        countWhen(knex, "e.kind = 'api_read'", 'api_reads'),
        knex.raw(visitorsOf()),
        knex.raw('0 AS sessions'),
        knex.raw('0 AS bounces'),
        engagedMs(knex),
        countWhen(knex, "e.kind = 'event'", 'events')
      )
      .havingRaw('COUNT(*) > 0'),
};

export const siteHourly: Aggregate = {
  table: 'ua_site_hourly',
  keys: ['hour'],
  sums: ['pageviews', 'api_reads', 'visitors'],
  scopes: [SITE_HOUR],
  keysFromVisitors: { hour: 'r.bucket' },
  partial: (knex, source, day) =>
    events(knex, source, day)
      .select(
        dayColumn(knex, day),
        hourBucket(knex, 'e.ts').wrap('', ' AS hour'),
        countWhen(knex, "e.kind = 'pageview'", 'pageviews'),
        countWhen(knex, "e.kind = 'api_read'", 'api_reads'),
        knex.raw(visitorsOf())
      )
      // Positional: the hour expression is the second column on every database.
      .groupByRaw('2'),
};

export const contentDaily: Aggregate = {
  table: 'ua_content_daily',
  keys: ['entry_id'],
  sums: ['pageviews', 'api_reads', 'visitors', 'engagements', 'engaged_ms', 'events'],
  scopes: [CONTENT],
  keysFromVisitors: { entry_id: 'r.k1' },
  partial: (knex, source, day) =>
    entryEvents(knex, source, day)
      .whereIn('e.kind', [...VIEW_KINDS, 'engagement', 'event'])
      .select(
        dayColumn(knex, day),
        'e.entry_id',
        countWhen(knex, "e.kind = 'pageview'", 'pageviews'),
        countWhen(knex, "e.kind = 'api_read'", 'api_reads'),
        knex.raw(visitorsOf()),
        countWhen(knex, "e.kind = 'engagement'", 'engagements'),
        engagedMs(knex),
        countWhen(knex, "e.kind = 'event'", 'events')
      )
      .groupBy('e.entry_id'),
};

export const contentHourly: Aggregate = {
  table: 'ua_content_hourly',
  keys: ['hour', 'entry_id'],
  sums: ['views', 'visitors'],
  scopes: [CONTENT_HOUR],
  keysFromVisitors: { hour: 'r.bucket', entry_id: 'r.k1' },
  partial: (knex, source, day) =>
    entryEvents(knex, source, day)
      .whereIn('e.kind', VIEW_KINDS)
      .select(
        dayColumn(knex, day),
        hourBucket(knex, 'e.ts').wrap('', ' AS hour'),
        'e.entry_id',
        hits(knex, 'views'),
        knex.raw(visitorsOf())
      )
      .groupByRaw('2, e.entry_id'),
};

/** Web dimensions of pageviews: column → dimension name. */
export const DIMENSIONS: Record<string, string> = {
  path: 'path',
  referrer_host: 'referrer',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  device: 'device',
  browser: 'browser',
  os: 'os',
  country: 'country',
};
const DIMENSION_SCOPES = Object.entries(DIMENSIONS).map(([column, dimension]) => ({
  column,
  dimension,
  scope: dimensionScope(column, dimension),
}));

export const dimensionDaily: Aggregate = {
  table: 'ua_dimension_daily',
  keys: ['dimension', 'value'],
  sums: ['pageviews', 'visitors'],
  scopes: DIMENSION_SCOPES.map((d) => d.scope),
  keysFromVisitors: { dimension: 'r.scope', value: 'r.k2' },
  partial: (knex, source, day) => {
    const parts = DIMENSION_SCOPES.map(({ column, dimension }) =>
      events(knex, source, day)
        .where('e.kind', 'pageview')
        .whereNotNull(`e.${column}`)
        .select(
          dayColumn(knex, day),
          knex.raw('? AS dimension', [dimension]),
          knex.raw(`${dimensionKey(column)} AS value`),
          hits(knex, 'pageviews'),
          knex.raw(visitorsOf())
        )
        .groupByRaw(dimensionKey(column))
    );
    // Joined by hand: knex would move the first part's GROUP BY after the UNION.
    const compiled = parts.map((part) => part.toSQL());
    return knex.raw(
      compiled.map((c) => c.sql).join(' UNION ALL '),
      compiled.flatMap((c) => c.bindings as Knex.Value[])
    );
  },
};

export const eventDaily: Aggregate = {
  table: 'ua_event_daily',
  keys: ['event_name'],
  sums: ['count', 'visitors'],
  scopes: [EVENT],
  keysFromVisitors: { event_name: 'r.k1' },
  partial: (knex, source, day) =>
    events(knex, source, day)
      .where('e.kind', 'event')
      .whereNotNull('e.event_name')
      .select(dayColumn(knex, day), 'e.event_name', hits(knex, 'count'), knex.raw(visitorsOf()))
      .groupBy('e.event_name'),
};

export const editorialDaily: Aggregate = {
  table: 'ua_editorial_daily',
  keys: ['content_type', 'document_id', 'locale', 'action'],
  sums: ['count'],
  scopes: [],
  partial: (knex, source, day) =>
    rawRows(knex, 'ua_editorial', source, day)
      .select(
        dayColumn(knex, day),
        'e.content_type',
        'e.document_id',
        'e.locale',
        'e.action',
        knex.raw('COUNT(*) AS ??', ['count'])
      )
      .groupBy('e.content_type', 'e.document_id', 'e.locale', 'e.action'),
};

export const listReadsDaily: Aggregate = {
  table: 'ua_list_reads_daily',
  keys: ['content_type'],
  sums: ['count'],
  scopes: [],
  partial: (knex, source, day) =>
    events(knex, source, day)
      .leftJoin({ n: 'ua_entries' }, 'n.id', 'e.entry_id')
      .where('e.kind', 'list_read')
      .select(
        dayColumn(knex, day),
        knex.raw("NULLIF(n.content_type, '') AS content_type"),
        hits(knex, 'count')
      )
      .groupBy('n.content_type'),
};

export const AGGREGATES: readonly Aggregate[] = [
  siteDaily,
  siteHourly,
  contentDaily,
  contentHourly,
  dimensionDaily,
  eventDaily,
  editorialDaily,
  listReadsDaily,
];
