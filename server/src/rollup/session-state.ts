/**
 * A visitor's sessions on one UTC day, as a state that new hits advance. A session is a run of
 * hits with gaps under 30 minutes; a bounce is a session with one view and no interaction
 * (engagement or custom event). Hits at or after the state's last one only extend its last
 * session or start new ones, so they are added in order without reading the hits before them;
 * an earlier hit can merge or split sessions already counted, and then the day is recounted from
 * all of the visitor's hits (`canAdvance` says which).
 */
export const SESSION_GAP_MS = 1_800_000;

export interface SessionHit {
  ts: number;
  /** Page views and Content API reads. */
  views: number;
  /** Engagement reports and custom events. */
  interactions: number;
}

export interface SessionState {
  sessions: number;
  bounces: number;
  /** Time of the last hit; null for a state from before states kept it (recount once). */
  lastTs: number | null;
  /** Views and interactions of the last session so far. */
  lastViews: number;
  lastInteractions: number;
}

export const NO_SESSIONS: SessionState = {
  sessions: 0,
  bounces: 0,
  lastTs: null,
  lastViews: 0,
  lastInteractions: 0,
};

const isBounce = (views: number, interactions: number) => views === 1 && interactions === 0;

/** Whether hits whose earliest is at `firstTs` can be added to `state` without a recount. */
export function canAdvance(state: SessionState | undefined, firstTs: number): boolean {
  if (!state) return false;
  return state.sessions === 0 || (state.lastTs !== null && firstTs >= state.lastTs);
}

/** `state` with `hits` added; `hits` sorted by time, none before the state's last hit. */
export function advance(state: SessionState, hits: readonly SessionHit[]): SessionState {
  let { sessions, lastTs, lastViews, lastInteractions } = state;
  // Bounces among the sessions before the last: the last one may still stop being a bounce.
  let earlierBounces =
    state.bounces - (sessions > 0 && isBounce(lastViews, lastInteractions) ? 1 : 0);
  for (const hit of hits) {
    if (sessions === 0 || lastTs === null || hit.ts - lastTs >= SESSION_GAP_MS) {
      if (sessions > 0 && isBounce(lastViews, lastInteractions)) earlierBounces += 1;
      sessions += 1;
      lastViews = 0;
      lastInteractions = 0;
    }
    lastViews += hit.views;
    lastInteractions += hit.interactions;
    lastTs = hit.ts;
  }
  const lastBounces = sessions > 0 && isBounce(lastViews, lastInteractions) ? 1 : 0;
  return {
    sessions,
    bounces: earlierBounces + lastBounces,
    lastTs,
    lastViews,
    lastInteractions,
  };
}

/** Sorts hits by time, in place. */
export const byTime = (hits: SessionHit[]): SessionHit[] => hits.sort((a, b) => a.ts - b.ts);
