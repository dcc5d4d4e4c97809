import {
  advance,
  byTime,
  canAdvance,
  NO_SESSIONS,
  type SessionHit,
  type SessionState,
} from '../../server/src/rollup/session-state';
import { expectedSiteDaily, type RawEvent } from '../helpers/ground-truth';
import { seededRandom } from '../app/src/seeded-random';
import { MINUTE_MS, isoDay } from '../../shared/time';

const DAY = Date.UTC(2026, 11, 7);

const view = (minute: number, hits = 1): SessionHit => ({
  ts: DAY + minute * MINUTE_MS,
  views: hits,
  interactions: 0,
});
const interaction = (minute: number): SessionHit => ({
  ts: DAY + minute * MINUTE_MS,
  views: 0,
  interactions: 1,
});
const figures = (s: SessionState) => ({ sessions: s.sessions, bounces: s.bounces });

/** The reference (tests/helpers/ground-truth.ts) for one visitor's hits on one day. */
function reference(hits: SessionHit[]) {
  const rows: RawEvent[] = hits.map((h, i) => ({
    id: i,
    ts: h.ts,
    kind: h.views ? 'pageview' : 'event',
    content_type: null,
    document_id: null,
    locale: null,
    path: '/',
    referrer_host: null,
    visitor_hash: 'ab12',
    engaged_ms: null,
    event_name: null,
    hits: h.views || h.interactions,
  }));
  const day = expectedSiteDaily(rows)[isoDay(DAY)];
  return { sessions: day?.sessions ?? 0, bounces: day?.bounces ?? 0 };
}

describe("a visitor's session state", () => {
  it('counts a lone view as one bounced session, and a second view within 30 minutes ends the bounce', () => {
    const one = advance(NO_SESSIONS, [view(0)]);
    expect(figures(one)).toEqual({ sessions: 1, bounces: 1 });
    expect(figures(advance(one, [view(29)]))).toEqual({ sessions: 1, bounces: 0 });
  });

  it('starts a session at a gap of exactly 30 minutes, keeping the bounce before it', () => {
    const state = advance(advance(NO_SESSIONS, [view(0)]), [view(30)]);
    expect(figures(state)).toEqual({ sessions: 2, bounces: 2 });
    expect(state.lastTs).toBe(DAY + 30 * MINUTE_MS);
    expect(figures(advance(state, [interaction(31)]))).toEqual({ sessions: 2, bounces: 1 });
  });

  it('counts a merged read of several hits as several views (no bounce)', () => {
    expect(figures(advance(NO_SESSIONS, [view(0, 3)]))).toEqual({ sessions: 1, bounces: 0 });
  });

  it('advances only hits at or after the last one, and never a state without its last hit', () => {
    const state = advance(NO_SESSIONS, [view(10)]);
    expect(canAdvance(state, DAY + 10 * MINUTE_MS)).toBe(true);
    expect(canAdvance(state, DAY + 9 * MINUTE_MS)).toBe(false);
    expect(canAdvance(undefined, DAY)).toBe(false);
    expect(canAdvance({ ...state, lastTs: null }, DAY + 20 * MINUTE_MS)).toBe(false);
  });

  it('equals the reference whatever the batches and their order, advancing or recounting as the rollup does', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 500; trial += 1) {
      const hits: SessionHit[] = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        // Gaps around the 30-minute boundary are the interesting ones.
        const minute = Math.floor(random() * 180);
        return random() < 0.7 ? view(minute, random() < 0.1 ? 2 : 1) : interaction(minute);
      });
      // Deliver them in random batches (a late batch can hold earlier hits).
      const batches: SessionHit[][] = [];
      for (const hit of hits) {
        const at = Math.floor(random() * (batches.length + 1));
        if (at === batches.length) batches.push([hit]);
        else batches[at].push(hit);
      }
      let state: SessionState | undefined;
      let total = { sessions: 0, bounces: 0 };
      const rolledUp: SessionHit[] = [];
      for (const batch of batches) {
        const mine = byTime([...batch]);
        const before = state ?? NO_SESSIONS;
        const after = canAdvance(state, mine[0].ts)
          ? advance(before, mine)
          : advance(NO_SESSIONS, byTime([...rolledUp, ...mine]));
        total = {
          sessions: total.sessions + after.sessions - before.sessions,
          bounces: total.bounces + after.bounces - before.bounces,
        };
        rolledUp.push(...mine);
        state = after;
      }
      expect({ trial, ...total }).toEqual({ trial, ...reference(hits) });
      expect({ trial, ...figures(state!) }).toEqual({ trial, ...reference(hits) });
    }
  });
});
