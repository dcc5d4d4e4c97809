import type { Knex } from 'knex';
import { dayBounds } from './day-range';
import { rawRowsSql, type RawSource } from './sources';
import { rolledUpSql } from './unique-visitors';
import {
  advance,
  byTime,
  canAdvance,
  NO_SESSIONS,
  type SessionHit,
  type SessionState,
} from './session-state';
import { rowsOf, type Row } from '../stats/rows';

const SESSION_KINDS = "('pageview', 'api_read', 'event', 'engagement')";

// A type, not an interface, so that it is a Record<string, unknown> to readers that sum rows.
type Figures = {
  sessions: number;
  bounces: number;
};

/** Visitors per statement: their hashes are bound as a list (an index probe each). */
const VISITORS_PER_STATEMENT = 500;

const HIT_COLUMNS = (a: string) =>
  `${a}.visitor_hash, ${a}.ts, ${a}.kind, ${a}.hits FROM ua_events ${a} ` +
  `WHERE ${a}.kind IN ${SESSION_KINDS} AND ${a}.visitor_hash IS NOT NULL`;

function hitsByVisitor(rows: Row[]): Map<string, SessionHit[]> {
  const out = new Map<string, SessionHit[]>();
  for (const r of rows) {
    const visitor = String(r.visitor_hash);
    const hits = Number(r.hits);
    const view = r.kind === 'pageview' || r.kind === 'api_read';
    let list = out.get(visitor);
    if (!list) out.set(visitor, (list = []));
    list.push({ ts: Number(r.ts), views: view ? hits : 0, interactions: view ? 0 : hits });
  }
  for (const list of out.values()) byTime(list);
  return out;
}

/** `source`'s session-relevant hits on a day, per visitor, in time order. */
async function sourceHits(knex: Knex, source: RawSource, day: string) {
  const chunk = rawRowsSql(knex, source, day, 'c');
  return hitsByVisitor(
    await rowsOf(knex.raw(`SELECT ${HIT_COLUMNS('c')} AND ${chunk.sql}`, chunk.bindings))
  );
}

/** The hits of `visitors` on a day that are rolled up already, per visitor, in time order. */
async function rolledUpHits(knex: Knex, day: string, visitors: string[]) {
  if (!visitors.length) return new Map<string, SessionHit[]>();
  const [start, end] = dayBounds(day);
  return hitsByVisitor(
    await rowsOf(
      knex.raw(
        `SELECT ${HIT_COLUMNS('p')} AND p.visitor_hash IN (${visitors.map(() => '?').join(', ')}) ` +
          `AND p.ts >= ? AND p.ts < ? AND ${rolledUpSql('p')}`,
        [...visitors, start, end]
      )
    )
  );
}

/** The kept states of `visitors` on an open day: the sessions of their rolled-up hits. */
async function storedStates(knex: Knex, day: string, visitors: string[]) {
  const rows = await knex('ua_visitor_sessions')
    .where({ day })
    .whereIn('visitor', visitors)
    .select('visitor', 'sessions', 'bounces', 'last_ts', 'last_views', 'last_interactions');
  return new Map<string, SessionState>(
    rows.map((r) => [
      String(r.visitor),
      {
        sessions: Number(r.sessions),
        bounces: Number(r.bounces),
        lastTs: r.last_ts == null ? null : Number(r.last_ts),
        lastViews: Number(r.last_views ?? 0),
        lastInteractions: Number(r.last_interactions ?? 0),
      },
    ])
  );
}

function slices<T>(list: T[], size = VISITORS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const mergeByTime = (a: SessionHit[], b: SessionHit[]) => byTime([...a, ...b]);

/**
 * What `source`'s hits change on a day: the difference they make to its sessions and bounces,
 * and (on an open day) each of their visitors' new state. A visitor whose new hits all come at or
 * after the kept state's last hit — nearly always — is advanced from that state; any other (an
 * out-of-order hit, a closed day whose states are forgotten, a state from before states kept
 * their last hit) is recounted from all of its rolled-up hits plus the new ones.
 */
async function sessionChanges(knex: Knex, source: RawSource, day: string, closed: boolean) {
  const delta: Figures = { sessions: 0, bounces: 0 };
  const states: Array<{ visitor: string; state: SessionState }> = [];
  const hits = await sourceHits(knex, source, day);
  for (const visitors of slices([...hits.keys()])) {
    const stored = closed
      ? new Map<string, SessionState>()
      : await storedStates(knex, day, visitors);
    const advanceable = (v: string) => canAdvance(stored.get(v), hits.get(v)![0].ts);
    const past = await rolledUpHits(
      knex,
      day,
      visitors.filter((v) => !advanceable(v))
    );
    for (const visitor of visitors) {
      const mine = hits.get(visitor)!;
      const kept = stored.get(visitor);
      let before: SessionState;
      let after: SessionState;
      if (advanceable(visitor)) {
        before = kept!;
        after = advance(before, mine);
      } else {
        const earlier = past.get(visitor) ?? [];
        // On an open day the kept figures are what the day's totals hold for this visitor.
        before = kept ?? (closed ? advance(NO_SESSIONS, earlier) : NO_SESSIONS);
        after = advance(NO_SESSIONS, mergeByTime(earlier, mine));
      }
      delta.sessions += after.sessions - before.sessions;
      delta.bounces += after.bounces - before.bounces;
      if (!closed) states.push({ visitor, state: after });
    }
  }
  return { delta, states };
}

async function keepStates(
  knex: Knex,
  day: string,
  states: Array<{ visitor: string; state: SessionState }>
): Promise<void> {
  for (const part of slices(states)) {
    // Overwritten in place: a visitor's row is rewritten by every chunk with a hit of theirs, and
    // a DELETE and INSERT would leave a dead index entry each time.
    await knex('ua_visitor_sessions')
      .insert(
        part.map(({ visitor, state }) => ({
          day,
          visitor,
          sessions: state.sessions,
          bounces: state.bounces,
          last_ts: state.lastTs,
          last_views: state.lastViews,
          last_interactions: state.lastInteractions,
        }))
      )
      .onConflict(['day', 'visitor'])
      .merge(['sessions', 'bounces', 'last_ts', 'last_views', 'last_interactions']);
  }
}

/**
 * Sessions and bounces, incrementally and exactly (rollup/session-state.ts). An open day keeps
 * each visitor's state in `ua_visitor_sessions` — the sessions of their rolled-up hits — which a
 * chunk advances by the chunk's hits alone; the site aggregate receives the difference as a
 * partial row. A closed day (rollup/day-closing.ts) keeps no states: a late hit's visitor is
 * recounted from the raw rows. Visitors are named by their hashes, a few hundred per statement,
 * so every lookup is an index probe whatever the planner's statistics.
 */
export async function rollupSessions(
  knex: Knex,
  source: RawSource,
  day: string,
  closed = false
): Promise<void> {
  const { delta, states } = await sessionChanges(knex, source, day, closed);
  await keepStates(knex, day, states);
  if (delta.sessions || delta.bounces) {
    await knex('ua_site_daily').insert({
      day,
      pageviews: 0,
      api_reads: 0,
      visitors: 0,
      sessions: delta.sessions,
      bounces: delta.bounces,
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
  return (await sessionChanges(knex, source, day, closed)).delta;
}
