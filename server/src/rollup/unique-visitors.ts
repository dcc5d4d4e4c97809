import type { Knex } from 'knex';
import { hourBucket, skipDuplicates } from './dialect';
import { rawRowsSql, type RawSource } from './sources';

/**
 * Exact unique visitors, incrementally. `ua_uniques` remembers every (day, scope, key, visitor)
 * already counted, with the chunk that counted it first. The rollup inserts a chunk's visitors,
 * skipping those remembered already (`rememberVisitors`: the primary key decides, no search), then
 * counts the rows it added per key (`countRemembered`) into partial aggregate rows. The live tail
 * is counted without writing (`uncountedVisitors`). Summing a day's partial rows gives its exact
 * distinct count.
 */
export interface UniqueScope {
  /** Stored in ua_uniques.scope (≤ 12 characters). */
  name: string;
  /** SQL condition on `e` selecting the rows whose visitors count in this scope. */
  where: string;
  /** SQL over `e` for the key columns: an hour bucket (0 for daily scopes) and up to three keys. */
  bucket: (knex: Knex) => string;
  k1: string;
  k2: string;
  k3: string;
}

export const VIEW_KINDS_SQL = "e.kind IN ('pageview', 'api_read')";
const daily = () => '0';
const hourly = (knex: Knex) => hourBucket(knex, 'e.ts').toQuery();
// Long dimension values (paths) are keyed by their first 400 characters.
export const dimensionKey = (column: string) => `SUBSTR(e.${column}, 1, 400)`;

export const SITE: UniqueScope = {
  name: 'site',
  where: '1 = 1',
  bucket: daily,
  k1: "''",
  k2: "''",
  k3: "''",
};
export const SITE_HOUR: UniqueScope = { ...SITE, name: 'hour', bucket: hourly };
export const CONTENT: UniqueScope = {
  name: 'content',
  where: `${VIEW_KINDS_SQL} AND e.content_type IS NOT NULL AND e.document_id IS NOT NULL`,
  bucket: daily,
  k1: 'e.content_type',
  k2: 'e.document_id',
  k3: "COALESCE(e.locale, '')",
};
export const CONTENT_HOUR: UniqueScope = { ...CONTENT, name: 'content_hour', bucket: hourly };
export const EVENT: UniqueScope = {
  name: 'event',
  where: "e.kind = 'event' AND e.event_name IS NOT NULL",
  bucket: daily,
  k1: 'e.event_name',
  k2: "''",
  k3: "''",
};
export function dimensionScope(column: string, dimension: string): UniqueScope {
  return {
    name: dimension,
    where: `e.kind = 'pageview' AND e.${column} IS NOT NULL`,
    bucket: daily,
    k1: "''",
    k2: dimensionKey(column),
    k3: "''",
  };
}

const notRemembered = (knex: Knex, scope: UniqueScope, ref: Record<string, string>) =>
  `NOT EXISTS (SELECT 1 FROM ua_uniques u WHERE u.day = ? AND u.scope = ? AND ` +
  `u.bucket = ${ref.bucket} AND u.k1 = ${ref.k1} AND u.k2 = ${ref.k2} AND u.k3 = ${ref.k3} ` +
  `AND u.visitor = ${ref.visitor})`;

/** The distinct (key, visitor) pairs of `scope` among `source`'s rows on `day`, as SQL. */
function distinctVisitors(knex: Knex, scope: UniqueScope, source: RawSource, day: string) {
  const rows = rawRowsSql(knex, source, day);
  return {
    sql:
      `SELECT DISTINCT ${scope.bucket(knex)} AS bucket, ${scope.k1} AS k1, ${scope.k2} AS k2, ` +
      `${scope.k3} AS k3, e.visitor_hash AS visitor FROM ua_events e ` +
      `WHERE ${rows.sql} AND ${scope.where} AND e.visitor_hash IS NOT NULL`,
    bindings: rows.bindings,
  };
}

const D_REF = { bucket: 'd.bucket', k1: 'd.k1', k2: 'd.k2', k3: 'd.k3', visitor: 'd.visitor' };

/**
 * Without writing anything: the visitors of `source`'s rows on `day` not counted yet, per scope
 * and key — the same columns as `countRemembered` (`day, scope, bucket, k1, k2, k3, visitors`).
 * The stats service reads the live tail with it.
 */
export function uncountedVisitors(
  knex: Knex,
  scopes: UniqueScope[],
  source: RawSource,
  day: string
): { sql: string; bindings: Knex.Value[] } {
  const parts = scopes.map((scope) => {
    const d = distinctVisitors(knex, scope, source, day);
    return {
      sql:
        `SELECT ? AS day, ? AS scope, d.bucket, d.k1, d.k2, d.k3, COUNT(*) AS visitors ` +
        `FROM (${d.sql}) d WHERE ${notRemembered(knex, scope, D_REF)} ` +
        `GROUP BY d.bucket, d.k1, d.k2, d.k3`,
      bindings: [day, scope.name, ...d.bindings, day, scope.name] as Knex.Value[],
    };
  });
  return {
    sql: parts.map((p) => p.sql).join(' UNION ALL '),
    bindings: parts.flatMap((p) => p.bindings),
  };
}

/** Remembers the visitors of `source`'s rows on `day` in `scope`, marking new ones with `chunk`. */
export async function rememberVisitors(
  knex: Knex,
  scope: UniqueScope,
  source: RawSource,
  day: string,
  chunk: number
): Promise<void> {
  const d = distinctVisitors(knex, scope, source, day);
  const insert =
    `INSERT INTO ua_uniques (day, scope, bucket, k1, k2, k3, visitor, chunk) ` +
    `SELECT ?, ?, d.bucket, d.k1, d.k2, d.k3, d.visitor, ? FROM (${d.sql}) d WHERE 1 = 1`;
  await knex.raw(skipDuplicates(knex, insert, 'ua_uniques.visitor'), [
    day,
    scope.name,
    chunk,
    ...d.bindings,
  ]);
}

/**
 * The visitors `chunk` added to `scopes`, counted per day, scope and key: a query over ua_uniques
 * with the columns `day, scope, bucket, k1, k2, k3, visitors`, for an aggregate to map onto its
 * own keys.
 */
export function countRemembered(
  knex: Knex,
  scopes: UniqueScope[],
  chunk: number
): Knex.QueryBuilder {
  const columns = ['day', 'scope', 'bucket', 'k1', 'k2', 'k3'];
  return knex('ua_uniques')
    .where({ chunk })
    .whereIn(
      'scope',
      scopes.map((s) => s.name)
    )
    .select(...columns, knex.raw('COUNT(*) AS visitors'))
    .groupBy(columns);
}
