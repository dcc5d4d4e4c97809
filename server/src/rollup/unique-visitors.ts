import type { Knex } from 'knex';
import { hourBucket } from './dialect';
import { dayBounds } from './day-range';
import { rawRowsSql, type RawSource } from './sources';

/**
 * Exact unique visitors, incrementally, from the raw rows themselves. Under a daily salt a visitor
 * hash exists on one day only, and every raw row is kept for `retention.rawDays`: a visitor of a
 * new raw row is new to a key (an entry, a path, an hour…) exactly when no raw row already rolled
 * up on that day has the same visitor and key. `newVisitors` counts those per key for any source —
 * a rollup chunk (whose rows are still pending inside its transaction) or the live tail — with one
 * index probe on the visitor hash per distinct (key, visitor) pair. Summing a day's partial rows
 * gives its exact distinct count, on open and closed days alike, and nothing is remembered
 * besides the raw rows.
 */
export interface UniqueScope {
  /** The scope's name, as the `scope` column of `newVisitors`. */
  name: string;
  /** SQL over the raw row aliased `a` selecting the rows whose visitors count in this scope. */
  where: (a: string) => string;
  /**
   * The same for the rolled-up rows a visitor is looked up in, when the key alone (equal to a
   * selected row's) already implies part of `where`; `where` otherwise.
   */
  probeWhere?: (a: string) => string;
  /** SQL over `a` for the key: an hour bucket (0 for daily scopes) and three key columns. */
  keys: (knex: Knex, a: string) => [bucket: string, k1: string, k2: string, k3: string];
}

export const viewKindsSql = (a: string) => `${a}.kind IN ('pageview', 'api_read')`;
// Long dimension values (paths) are keyed by their first 400 characters.
export const dimensionKey = (column: string, a = 'e') => `SUBSTR(${a}.${column}, 1, 400)`;
const hourOf = (knex: Knex, a: string) => hourBucket(knex, `${a}.ts`).toQuery();

export const SITE: UniqueScope = {
  name: 'site',
  where: () => '1 = 1',
  keys: () => ['0', "''", "''", "''"],
};
export const SITE_HOUR: UniqueScope = {
  name: 'hour',
  where: () => '1 = 1',
  keys: (knex, a) => [hourOf(knex, a), "''", "''", "''"],
};
// Content views are keyed by their entry's id (an integer: cheaper probes); the entry is one with
// a content type and a document id in `ua_entries` (the content aggregates are keyed by it too).
const isContentView = (a: string) =>
  `${viewKindsSql(a)} AND ${a}.entry_id IN (SELECT n.id FROM ua_entries n ` +
  `WHERE n.content_type <> '' AND n.document_id <> '')`;
export const CONTENT: UniqueScope = {
  name: 'content',
  where: isContentView,
  probeWhere: viewKindsSql,
  keys: (_knex, a) => ['0', `${a}.entry_id`, "''", "''"],
};
export const CONTENT_HOUR: UniqueScope = {
  name: 'content_hour',
  where: isContentView,
  probeWhere: viewKindsSql,
  keys: (knex, a) => [hourOf(knex, a), `${a}.entry_id`, "''", "''"],
};
export const EVENT: UniqueScope = {
  name: 'event',
  where: (a) => `${a}.kind = 'event' AND ${a}.event_name IS NOT NULL`,
  keys: (_knex, a) => ['0', `${a}.event_name`, "''", "''"],
};
export function dimensionScope(column: string, dimension: string): UniqueScope {
  return {
    name: dimension,
    where: (a) => `${a}.kind = 'pageview' AND ${a}.${column} IS NOT NULL`,
    keys: (_knex, a) => ['0', "''", dimensionKey(column, a), "''"],
  };
}

/** SQL over `alias`: the raw row is rolled up already (its batch is no longer pending). */
export const rolledUpSql = (alias = 'e') =>
  `${alias}.batch NOT IN (SELECT batch FROM ua_pending_batches)`;

/**
 * The visitors of `source`'s rows on `day` that no rolled-up raw row of the day counted yet, per
 * scope and key: SQL with the columns `day, scope, bucket, k1, k2, k3, visitors`, which an
 * aggregate maps onto its own keys (aggregates.ts, `visitorRows`). Read only.
 */
export function newVisitors(
  knex: Knex,
  scopes: UniqueScope[],
  source: RawSource,
  day: string
): { sql: string; bindings: Knex.Value[] } {
  const [start, end] = dayBounds(day);
  const parts = scopes.map((scope) => {
    const rows = rawRowsSql(knex, source, day);
    const [bucket, k1, k2, k3] = scope.keys(knex, 'e');
    const [pBucket, p1, p2, p3] = scope.keys(knex, 'p');
    return {
      sql:
        `SELECT ? AS day, ? AS scope, d.bucket, d.k1, d.k2, d.k3, COUNT(*) AS visitors FROM (` +
        `SELECT DISTINCT ${bucket} AS bucket, ${k1} AS k1, ${k2} AS k2, ${k3} AS k3, ` +
        `e.visitor_hash AS visitor FROM ua_events e ` +
        `WHERE ${rows.sql} AND ${scope.where('e')} AND e.visitor_hash IS NOT NULL) d ` +
        `WHERE NOT EXISTS (SELECT 1 FROM ua_events p WHERE p.visitor_hash = d.visitor ` +
        `AND p.ts >= ? AND p.ts < ? AND ${rolledUpSql('p')} AND ${(scope.probeWhere ?? scope.where)('p')} ` +
        `AND ${pBucket} = d.bucket AND ${p1} = d.k1 AND ${p2} = d.k2 AND ${p3} = d.k3) ` +
        `GROUP BY d.bucket, d.k1, d.k2, d.k3`,
      bindings: [day, scope.name, ...rows.bindings, start, end] as Knex.Value[],
    };
  });
  return {
    sql: parts.map((p) => p.sql).join(' UNION ALL '),
    bindings: parts.flatMap((p) => p.bindings),
  };
}
