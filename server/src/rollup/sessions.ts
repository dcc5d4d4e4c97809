import type { Knex } from 'knex';
import { dayBounds } from './day-range';
import { overwriteDuplicates } from './dialect';
import { rawRowsSql, type RawSource } from './sources';
import { rolledUpSql } from './unique-visitors';
import { rowsOf } from '../stats/rows';

const SESSION_KINDS = "('pageview', 'api_read', 'event', 'engagement')";
const SESSION_GAP_MS = 1_800_000;

// A type, not an interface, so that it is a Record<string, unknown> to readers that sum rows.
type Figures = {
  sessions: number;
  bounces: number;
};

/** Visitors per statement: their hashes are bound as a list (an index probe each). */
const VISITORS_PER_STATEMENT = 500;

/** The distinct visitors of `source`'s session-relevant rows on a day. */
async function touchedVisitors(knex: Knex, source: RawSource, day: string): Promise<string[]> {
  const chunk = rawRowsSql(knex, source, day, 'c');
  const rows = await rowsOf(
    knex.raw(
      `SELECT DISTINCT c.visitor_hash FROM ua_events c WHERE ${chunk.sql} ` +
        `AND c.kind IN ${SESSION_KINDS} AND c.visitor_hash IS NOT NULL`,
      chunk.bindings
    )
  );
  return rows.map((r) => String(r.visitor_hash));
}

function slices<T>(list: T[], size = VISITORS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

type Sql = { sql: string; bindings: Knex.Value[] };
const ALL_ROWS: Sql = { sql: '1 = 1', bindings: [] };

/** SQL over `alias`: the raw row is rolled up already or belongs to `source`. */
function rolledUpOrIn(source: RawSource, alias: string): Sql {
  if (source === 'pending') return ALL_ROWS;
  if (!source.batches.length) return { sql: rolledUpSql(alias), bindings: [] };
  return {
    sql: `(${alias}.batch IN (${source.batches.map(() => '?').join(', ')}) OR ${rolledUpSql(alias)})`,
    bindings: source.batches,
  };
}

/**
 * Per visitor of `visitors`: sessions and bounces on the day, from every raw row of theirs that
 * meets `rows` (every row, by default).
 */
function perVisitorSessions(day: string, visitors: string[], rows: Sql = ALL_ROWS): Sql {
  const [start, end] = dayBounds(day);
  return {
    sql: `SELECT s.visitor_hash, COUNT(*) AS sessions,
  SUM(CASE WHEN s.views = 1 AND s.interactions = 0 THEN 1 ELSE 0 END) AS bounces
FROM (
  WITH marked AS (
    SELECT id, visitor_hash, ts, kind, hits,
      CASE WHEN ts - LAG(ts) OVER (PARTITION BY visitor_hash ORDER BY ts, id) < ${SESSION_GAP_MS} THEN 0 ELSE 1 END AS is_start
    FROM ua_events
    WHERE visitor_hash IN (${visitors.map(() => '?').join(', ')}) AND ts >= ? AND ts < ?
      AND kind IN ${SESSION_KINDS} AND ${rows.sql}
  ), numbered AS (
    SELECT visitor_hash, kind, hits,
      SUM(is_start) OVER (PARTITION BY visitor_hash ORDER BY ts, id ROWS UNBOUNDED PRECEDING) AS session_no
    FROM marked
  )
  SELECT visitor_hash, session_no,
    SUM(CASE WHEN kind IN ('pageview', 'api_read') THEN hits ELSE 0 END) AS views,
    SUM(CASE WHEN kind IN ('event', 'engagement') THEN hits ELSE 0 END) AS interactions
  FROM numbered GROUP BY visitor_hash, session_no
) s
GROUP BY s.visitor_hash`,
    bindings: [...visitors, start, end, ...rows.bindings],
  };
}

/** Sessions and bounces of `visitors` on the day, from their raw rows that meet `rows`. */
async function figuresOver(knex: Knex, day: string, visitors: string[], rows: Sql) {
  const current = perVisitorSessions(day, visitors, rows);
  const [row] = await rowsOf(
    knex.raw(
      `SELECT COALESCE(SUM(p.sessions), 0) AS sessions, COALESCE(SUM(p.bounces), 0) AS bounces
       FROM (${current.sql}) p`,
      current.bindings
    )
  );
  return { sessions: Number(row?.sessions ?? 0), bounces: Number(row?.bounces ?? 0) };
}

/**
 * On a closed day (rollup/day-closing.ts), whose per-visitor figures are no longer kept: what
 * `source`'s rows add to the sessions and bounces of their visitors, as their figures over the
 * rows rolled up plus `source`'s minus their figures over the rows rolled up.
 */
async function closedDayDelta(
  knex: Knex,
  source: RawSource,
  day: string,
  visitors: string[]
): Promise<Figures> {
  const rolledUp = { sql: rolledUpSql('ua_events'), bindings: [] };
  const before = await figuresOver(knex, day, visitors, rolledUp);
  const after = await figuresOver(knex, day, visitors, rolledUpOrIn(source, 'ua_events'));
  return { sessions: after.sessions - before.sessions, bounces: after.bounces - before.bounces };
}

async function storedFigures(knex: Knex, day: string, visitors: string[]): Promise<Figures> {
  const [row] = await knex('ua_visitor_sessions')
    .where({ day })
    .whereIn('visitor', visitors)
    .select(
      knex.raw('COALESCE(SUM(sessions), 0) AS sessions'),
      knex.raw('COALESCE(SUM(bounces), 0) AS bounces')
    );
  return { sessions: Number(row?.sessions ?? 0), bounces: Number(row?.bounces ?? 0) };
}

/**
 * Sessions and bounces, incrementally and exactly. A session is a visitor's hits on one UTC day
 * with gaps under 30 minutes; a bounce is a session with one view and no engagement or custom
 * event. A late or out-of-order hit can merge or split a visitor's sessions, so they are not
 * additive: for every visitor in the chunk, the day's sessions are recomputed from that
 * visitor's raw rows (index on visitor_hash, ts) and kept in `ua_visitor_sessions`; the site
 * aggregate receives the difference as a partial row. Visitors are named by their hashes, a few
 * hundred per statement, so every lookup is an index probe whatever the planner's statistics.
 */
export async function rollupSessions(
  knex: Knex,
  source: RawSource,
  day: string,
  closed = false
): Promise<void> {
  let sessions = 0;
  let bounces = 0;
  for (const visitors of slices(await touchedVisitors(knex, source, day))) {
    if (closed) {
      const delta = await closedDayDelta(knex, source, day, visitors);
      sessions += delta.sessions;
      bounces += delta.bounces;
      continue;
    }
    const before = await storedFigures(knex, day, visitors);
    const current = perVisitorSessions(day, visitors);
    // Overwritten in place: a visitor's row is rewritten by every chunk with a hit of theirs, and
    // a DELETE and INSERT would leave a dead index entry each time (seen: reads of the table 13×
    // slower by the end of a 10 M-event rollup on PostgreSQL).
    await knex.raw(
      overwriteDuplicates(
        knex,
        `INSERT INTO ua_visitor_sessions (day, visitor, sessions, bounces)
         SELECT ?, p.visitor_hash, p.sessions, p.bounces FROM (${current.sql}) p WHERE 1 = 1`,
        ['day', 'visitor'],
        ['sessions', 'bounces']
      ),
      [day, ...current.bindings]
    );
    const after = await storedFigures(knex, day, visitors);
    sessions += after.sessions - before.sessions;
    bounces += after.bounces - before.bounces;
  }
  if (sessions || bounces) {
    await knex('ua_site_daily').insert({
      day,
      pageviews: 0,
      api_reads: 0,
      visitors: 0,
      sessions,
      bounces,
      engaged_ms: 0,
      events: 0,
    });
  }
}

/** What rolling `source` up would add to the day's sessions and bounces (read only). */
export async function sessionsDelta(
  knex: Knex,
  source: RawSource,
  day: string,
  closed = false
): Promise<Figures> {
  const delta = { sessions: 0, bounces: 0 };
  for (const visitors of slices(await touchedVisitors(knex, source, day))) {
    const before = closed
      ? await figuresOver(knex, day, visitors, { sql: rolledUpSql('ua_events'), bindings: [] })
      : await storedFigures(knex, day, visitors);
    const after = await figuresOver(
      knex,
      day,
      visitors,
      closed ? rolledUpOrIn(source, 'ua_events') : ALL_ROWS
    );
    delta.sessions += after.sessions - before.sessions;
    delta.bounces += after.bounces - before.bounces;
  }
  return delta;
}
