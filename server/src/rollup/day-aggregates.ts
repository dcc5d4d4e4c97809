import type { Knex } from 'knex';
import { dayBounds } from './day-range';
import { hourBucket } from './dialect';

/**
 * How every aggregate table is computed from the raw tables for one UTC day: one SQL query each
 * (GROUP BY inside the database). The rollup inserts their results; the stats service reads them
 * directly for days not yet rolled up, so both always agree.
 */
export interface DayAggregate {
  table: string;
  columns: string[];
  select(knex: Knex, day: string): Knex.QueryBuilder | Knex.Raw;
}

const VIEW_KINDS = ['pageview', 'api_read'];
const countWhen = (knex: Knex, condition: string, alias: string) =>
  knex.raw(`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS ??`, [alias]);
const events = (knex: Knex, day: string) => {
  const [start, end] = dayBounds(day);
  return knex('ua_events').where('ts', '>=', start).andWhere('ts', '<', end);
};

// Sessions: a visitor's hits with gaps under 30 minutes; a bounce is a session with one view
// and no engagement or custom event. Window functions work on all three databases.
const SESSIONS_SQL = `
WITH marked AS (
  SELECT id, visitor_hash, ts, kind,
    CASE WHEN ts - LAG(ts) OVER (PARTITION BY visitor_hash ORDER BY ts, id) < 1800000 THEN 0 ELSE 1 END AS is_start
  FROM ua_events
  WHERE ts >= ? AND ts < ? AND kind IN ('pageview', 'api_read', 'event', 'engagement')
), numbered AS (
  SELECT visitor_hash, kind,
    SUM(is_start) OVER (PARTITION BY visitor_hash ORDER BY ts, id ROWS UNBOUNDED PRECEDING) AS session_no
  FROM marked
), sessions AS (
  SELECT visitor_hash, session_no,
    SUM(CASE WHEN kind IN ('pageview', 'api_read') THEN 1 ELSE 0 END) AS views,
    SUM(CASE WHEN kind IN ('event', 'engagement') THEN 1 ELSE 0 END) AS interactions
  FROM numbered GROUP BY visitor_hash, session_no
)
SELECT COUNT(*) AS sessions, COALESCE(SUM(CASE WHEN views = 1 AND interactions = 0 THEN 1 ELSE 0 END), 0) AS bounces
FROM sessions`;

export const siteDaily: DayAggregate = {
  table: 'ua_site_daily',
  columns: [
    'day',
    'pageviews',
    'api_reads',
    'visitors',
    'sessions',
    'bounces',
    'engaged_ms',
    'events',
  ],
  select: (knex, day) => {
    const [start, end] = dayBounds(day);
    const sessions = knex.raw(`(${SESSIONS_SQL}) s`, [start, end]);
    const totals = events(knex, day)
      .select(
        countWhen(knex, "kind = 'pageview'", 'pageviews'),
        countWhen(knex, "kind = 'api_read'", 'api_reads'),
        knex.raw('COUNT(DISTINCT visitor_hash) AS visitors'),
        knex.raw(
          "COALESCE(SUM(CASE WHEN kind = 'engagement' THEN engaged_ms ELSE 0 END), 0) AS engaged_ms"
        ),
        countWhen(knex, "kind = 'event'", 'events')
      )
      .as('t');
    return knex
      .select(
        knex.raw('? AS day', [day]),
        knex.raw('COALESCE(t.pageviews, 0) AS pageviews'),
        knex.raw('COALESCE(t.api_reads, 0) AS api_reads'),
        't.visitors',
        's.sessions',
        's.bounces',
        't.engaged_ms',
        knex.raw('COALESCE(t.events, 0) AS events')
      )
      .from(totals)
      .crossJoin(sessions)
      .where('t.visitors', '>', 0);
  },
};

export const siteHourly: DayAggregate = {
  table: 'ua_site_hourly',
  columns: ['hour', 'day', 'pageviews', 'api_reads', 'visitors'],
  select: (knex, day) =>
    events(knex, day)
      .select(
        hourBucket(knex).wrap('', ' AS hour'),
        knex.raw('? AS day', [day]),
        countWhen(knex, "kind = 'pageview'", 'pageviews'),
        countWhen(knex, "kind = 'api_read'", 'api_reads'),
        knex.raw('COUNT(DISTINCT visitor_hash) AS visitors')
      )
      .groupByRaw('1'),
};

const entryHits = (knex: Knex, day: string) =>
  events(knex, day)
    .whereNotNull('content_type')
    .whereNotNull('document_id')
    .whereIn('kind', [...VIEW_KINDS, 'engagement', 'event']);

export const contentDaily: DayAggregate = {
  table: 'ua_content_daily',
  columns: [
    'day',
    'content_type',
    'document_id',
    'locale',
    'pageviews',
    'api_reads',
    'visitors',
    'engagements',
    'engaged_ms',
    'events',
  ],
  select: (knex, day) =>
    entryHits(knex, day)
      .select(
        knex.raw('? AS day', [day]),
        'content_type',
        'document_id',
        'locale',
        countWhen(knex, "kind = 'pageview'", 'pageviews'),
        countWhen(knex, "kind = 'api_read'", 'api_reads'),
        knex.raw(
          "COUNT(DISTINCT CASE WHEN kind IN ('pageview', 'api_read') THEN visitor_hash END) AS visitors"
        ),
        countWhen(knex, "kind = 'engagement'", 'engagements'),
        knex.raw(
          "COALESCE(SUM(CASE WHEN kind = 'engagement' THEN engaged_ms ELSE 0 END), 0) AS engaged_ms"
        ),
        countWhen(knex, "kind = 'event'", 'events')
      )
      .groupBy('content_type', 'document_id', 'locale'),
};

export const contentHourly: DayAggregate = {
  table: 'ua_content_hourly',
  columns: ['hour', 'day', 'content_type', 'document_id', 'locale', 'views', 'visitors'],
  select: (knex, day) =>
    events(knex, day)
      .whereNotNull('content_type')
      .whereNotNull('document_id')
      .whereIn('kind', VIEW_KINDS)
      .select(
        hourBucket(knex).wrap('', ' AS hour'),
        knex.raw('? AS day', [day]),
        'content_type',
        'document_id',
        'locale',
        knex.raw('COUNT(*) AS views'),
        knex.raw('COUNT(DISTINCT visitor_hash) AS visitors')
      )
      // Positional: the hour expression is the first column on every database.
      .groupByRaw('1, ??, ??, ??', ['content_type', 'document_id', 'locale']),
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

export const dimensionDaily: DayAggregate = {
  table: 'ua_dimension_daily',
  columns: ['day', 'dimension', 'value', 'pageviews', 'visitors'],
  select: (knex, day) => {
    const parts = Object.entries(DIMENSIONS).map(([column, dimension]) =>
      events(knex, day)
        .where('kind', 'pageview')
        .whereNotNull(column)
        .select(
          knex.raw('? AS day', [day]),
          knex.raw('? AS dimension', [dimension]),
          knex.raw('?? AS value', [column]),
          knex.raw('COUNT(*) AS pageviews'),
          knex.raw('COUNT(DISTINCT visitor_hash) AS visitors')
        )
        .groupBy(column)
    );
    // Joined by hand: knex would move the first part's GROUP BY after the UNION.
    const compiled = parts.map((part) => part.toSQL());
    return knex.raw(
      compiled.map((c) => c.sql).join(' UNION ALL '),
      compiled.flatMap((c) => c.bindings as Knex.Value[])
    );
  },
};

export const eventDaily: DayAggregate = {
  table: 'ua_event_daily',
  columns: ['day', 'event_name', 'count', 'visitors'],
  select: (knex, day) =>
    events(knex, day)
      .where('kind', 'event')
      .whereNotNull('event_name')
      .select(
        knex.raw('? AS day', [day]),
        'event_name',
        knex.raw('COUNT(*) AS count'),
        knex.raw('COUNT(DISTINCT visitor_hash) AS visitors')
      )
      .groupBy('event_name'),
};

export const editorialDaily: DayAggregate = {
  table: 'ua_editorial_daily',
  columns: ['day', 'content_type', 'document_id', 'locale', 'action', 'count'],
  select: (knex, day) => {
    const [start, end] = dayBounds(day);
    return knex('ua_editorial')
      .where('ts', '>=', start)
      .andWhere('ts', '<', end)
      .select(
        knex.raw('? AS day', [day]),
        'content_type',
        'document_id',
        'locale',
        'action',
        knex.raw('COUNT(*) AS count')
      )
      .groupBy('content_type', 'document_id', 'locale', 'action');
  },
};

export const listReadsDaily: DayAggregate = {
  table: 'ua_list_reads_daily',
  columns: ['day', 'content_type', 'count'],
  select: (knex, day) =>
    events(knex, day)
      .where('kind', 'list_read')
      .select(knex.raw('? AS day', [day]), 'content_type', knex.raw('COUNT(*) AS count'))
      .groupBy('content_type'),
};

export const DAY_AGGREGATES: readonly DayAggregate[] = [
  siteDaily,
  siteHourly,
  contentDaily,
  contentHourly,
  dimensionDaily,
  eventDaily,
  editorialDaily,
  listReadsDaily,
];
