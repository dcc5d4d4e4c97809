import type { Knex } from 'knex';
import { dayBounds } from './day-range';
import { rawRowsSql, type RawSource } from './sources';
import { rowsOf } from '../stats/rows';

const SESSION_KINDS = "('pageview', 'api_read', 'event', 'engagement')";
const SESSION_GAP_MS = 1_800_000;

interface Figures {
  sessions: number;
  bounces: number;
}

/** The distinct visitors of `source`'s session-relevant rows on a day, as SQL. */
function touchedVisitors(knex: Knex, source: RawSource, day: string) {
  const chunk = rawRowsSql(knex, source, day, 'c');
  return {
    sql:
      `SELECT DISTINCT c.visitor_hash FROM ua_events c WHERE ${chunk.sql} ` +
      `AND c.kind IN ${SESSION_KINDS} AND c.visitor_hash IS NOT NULL`,
    bindings: chunk.bindings,
  };
}

/** Per visitor in `touched`: sessions and bounces on the day, from every raw row of theirs. */
function perVisitorSessions(
  day: string,
  touched: { sql: string; bindings: Knex.Value[] }
): { sql: string; bindings: Knex.Value[] } {
  const [start, end] = dayBounds(day);
  return {
    sql: `SELECT s.visitor_hash, COUNT(*) AS sessions,
  SUM(CASE WHEN s.views = 1 AND s.interactions = 0 THEN 1 ELSE 0 END) AS bounces
FROM (
  WITH marked AS (
    SELECT id, visitor_hash, ts, kind,
      CASE WHEN ts - LAG(ts) OVER (PARTITION BY visitor_hash ORDER BY ts, id) < ${SESSION_GAP_MS} THEN 0 ELSE 1 END AS is_start
    FROM ua_events
    WHERE ts >= ? AND ts < ? AND kind IN ${SESSION_KINDS} AND visitor_hash IN (${touched.sql})
  ), numbered AS (
    SELECT visitor_hash, kind,
      SUM(is_start) OVER (PARTITION BY visitor_hash ORDER BY ts, id ROWS UNBOUNDED PRECEDING) AS session_no
    FROM marked
  )
  SELECT visitor_hash, session_no,
    SUM(CASE WHEN kind IN ('pageview', 'api_read') THEN 1 ELSE 0 END) AS views,
    SUM(CASE WHEN kind IN ('event', 'engagement') THEN 1 ELSE 0 END) AS interactions
  FROM numbered GROUP BY visitor_hash, session_no
) s
GROUP BY s.visitor_hash`,
    bindings: [start, end, ...touched.bindings],
  };
}

async function storedFigures(
  knex: Knex,
  day: string,
  touched: { sql: string; bindings: Knex.Value[] }
): Promise<Figures> {
  const [row] = await knex('ua_visitor_sessions')
    .where({ day })
    .whereRaw(`visitor IN (${touched.sql})`, touched.bindings)
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
 * aggregate receives the difference as a partial row.
 */
export async function rollupSessions(knex: Knex, source: RawSource, day: string): Promise<void> {
  const touched = touchedVisitors(knex, source, day);
  const before = await storedFigures(knex, day, touched);
  await knex('ua_visitor_sessions')
    .where({ day })
    .whereRaw(`visitor IN (${touched.sql})`, touched.bindings)
    .delete();
  const current = perVisitorSessions(day, touched);
  await knex.raw(
    `INSERT INTO ua_visitor_sessions (day, visitor, sessions, bounces)
     SELECT ?, p.visitor_hash, p.sessions, p.bounces FROM (${current.sql}) p`,
    [day, ...current.bindings]
  );
  const after = await storedFigures(knex, day, touched);
  const sessions = after.sessions - before.sessions;
  const bounces = after.bounces - before.bounces;
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
export async function sessionsDelta(knex: Knex, source: RawSource, day: string): Promise<Figures> {
  const touched = touchedVisitors(knex, source, day);
  const before = await storedFigures(knex, day, touched);
  const current = perVisitorSessions(day, touched);
  const [row] = await rowsOf(
    knex.raw(
      `SELECT COALESCE(SUM(p.sessions), 0) AS sessions, COALESCE(SUM(p.bounces), 0) AS bounces
       FROM (${current.sql}) p`,
      current.bindings
    )
  );
  return {
    sessions: Number(row?.sessions ?? 0) - before.sessions,
    bounces: Number(row?.bounces ?? 0) - before.bounces,
  };
}
