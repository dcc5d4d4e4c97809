import type { Knex } from 'knex';
import { columnsOf, visitorRows, type Aggregate } from './aggregates';
import { dayBounds } from './day-range';
import { rawRowsSql, type RawSource } from './sources';
import type { UniqueScope } from './unique-visitors';
import { rowKey, rowsOf } from '../stats/rows';

type Row = Record<string, unknown>;
type Sql = { sql: string; bindings: Knex.Value[] };

/** Stored sums are read for this many keys per statement (an IN list). */
const KEYS_PER_STATEMENT = 500;
/** Correction rows per INSERT statement. */
const ROWS_PER_INSERT = 200;

/**
 * Unique visitors of a closed day (rollup/day-closing.ts), whose counted visitors are no longer
 * remembered: for each key that new raw rows touch, the day's visitors are counted again from
 * its raw rows (the rows rolled up already plus the new ones), and the difference from what the
 * aggregate holds becomes a correcting partial row. Raw rows are kept for `retention.rawDays`,
 * far longer than a day stays open, so the recount sees every row the stored count was made of.
 */

/** SQL over `alias`: the raw row is rolled up already (its batch is no longer pending). */
export const rolledUpSql = (alias = 'e') =>
  `${alias}.batch NOT IN (SELECT batch FROM ua_pending_batches)`;

/** SQL over `alias`: the raw row is rolled up already or belongs to `source`. */
export function rolledUpOrIn(source: RawSource, alias = 'e'): Sql {
  if (source === 'pending') return { sql: '1 = 1', bindings: [] };
  if (!source.batches.length) return { sql: rolledUpSql(alias), bindings: [] };
  return {
    sql: `(${alias}.batch IN (${source.batches.map(() => '?').join(', ')}) OR ${rolledUpSql(alias)})`,
    bindings: source.batches,
  };
}

const keyColumns = (knex: Knex, scope: UniqueScope) =>
  `${scope.bucket(knex)}, ${scope.k1}, ${scope.k2}, ${scope.k3}`;

/**
 * The exact visitors per key of `scopes` on `day`, over the rows rolled up and `source`'s, for
 * the keys `source`'s rows touch: columns `day, scope, bucket, k1, k2, k3, visitors`.
 */
function recount(knex: Knex, scopes: UniqueScope[], source: RawSource, day: string): Sql {
  const [start, end] = dayBounds(day);
  const counted = rolledUpOrIn(source);
  const parts = scopes.map((scope) => {
    const touched = rawRowsSql(knex, source, day);
    const keys = keyColumns(knex, scope);
    return {
      sql:
        `SELECT ? AS day, ? AS scope, d.bucket, d.k1, d.k2, d.k3, ` +
        `COUNT(DISTINCT d.visitor) AS visitors FROM (` +
        `SELECT ${scope.bucket(knex)} AS bucket, ${scope.k1} AS k1, ${scope.k2} AS k2, ` +
        `${scope.k3} AS k3, e.visitor_hash AS visitor FROM ua_events e ` +
        `WHERE e.ts >= ? AND e.ts < ? AND ${scope.where} AND e.visitor_hash IS NOT NULL ` +
        `AND ${counted.sql} AND (${keys}) IN (SELECT DISTINCT ${keys} FROM ua_events e ` +
        `WHERE ${touched.sql} AND ${scope.where} AND e.visitor_hash IS NOT NULL)` +
        `) d GROUP BY d.bucket, d.k1, d.k2, d.k3`,
      bindings: [
        day,
        scope.name,
        start,
        end,
        ...counted.bindings,
        ...touched.bindings,
      ] as Knex.Value[],
    };
  });
  return {
    sql: parts.map((p) => p.sql).join(' UNION ALL '),
    bindings: parts.flatMap((p) => p.bindings),
  };
}

/** The key column whose values best narrow a lookup of `rows` (never null among them). */
function narrowestKey(keys: string[], rows: Row[]): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const key of keys) {
    if (rows.some((r) => r[key] === null || r[key] === undefined)) continue;
    const count = new Set(rows.map((r) => String(r[key]))).size;
    if (count > bestCount) [best, bestCount] = [key, count];
  }
  return best;
}

/** The visitors `a` holds on `day` per key, for the keys of `rows`. */
async function storedVisitors(
  knex: Knex,
  a: Aggregate,
  day: string,
  rows: Row[]
): Promise<Map<string, number>> {
  const stored = new Map<string, number>();
  const narrow = narrowestKey(a.keys, rows);
  const values = narrow ? [...new Set(rows.map((r) => r[narrow] as Knex.Value))] : [null];
  for (let i = 0; i < values.length; i += KEYS_PER_STATEMENT) {
    const q = knex(a.table).where({ day });
    if (narrow) q.whereIn(narrow, values.slice(i, i + KEYS_PER_STATEMENT));
    q.select(...a.keys, knex.raw('SUM(visitors) AS visitors'));
    if (a.keys.length) q.groupBy(a.keys);
    for (const row of await rowsOf(q)) stored.set(rowKey(row, a.keys), Number(row.visitors ?? 0));
  }
  return stored;
}

/**
 * Partial rows of `a` (every other sum 0) that bring the unique visitors of the keys `source`'s
 * rows touch on the closed `day` to their exact counts. A count never goes down: a smaller
 * recount can only mean retention has begun deleting the day's raw rows, and then the stored
 * count stands.
 */
export async function closedDayVisitorRows(
  knex: Knex,
  a: Aggregate,
  source: RawSource,
  day: string
): Promise<Row[]> {
  if (!a.scopes.length || !a.keysFromUniques) return [];
  const exact = await rowsOf(visitorRows(knex, a, recount(knex, a.scopes, source, day)));
  if (!exact.length) return [];
  const stored = await storedVisitors(knex, a, day, exact);
  const corrections: Row[] = [];
  for (const row of exact) {
    const missing = Number(row.visitors ?? 0) - (stored.get(rowKey(row, a.keys)) ?? 0);
    if (missing > 0) corrections.push({ ...row, day, visitors: missing });
  }
  return corrections;
}

/** Appends `closedDayVisitorRows` to `a`'s table (inside the rollup chunk's transaction). */
export async function correctClosedDayVisitors(
  knex: Knex,
  a: Aggregate,
  source: RawSource,
  day: string
): Promise<void> {
  const rows = await closedDayVisitorRows(knex, a, source, day);
  const columns = columnsOf(a);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await knex(a.table).insert(
      rows
        .slice(i, i + ROWS_PER_INSERT)
        .map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])))
    );
  }
}
