import type { Knex } from 'knex';
import { insertRows } from '../../server/src/collection/row-writer';
import { expectedSiteDaily } from '../helpers/ground-truth';
import { rawEventRow, rawEvents, storedSiteDaily } from '../helpers/aggregates';
import { adminSession, overviewAs, type AdminSession } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/strapi';
import { seededRandom } from '../app/src/seeded-random';
import { DAY_MS, HOUR_MS, MINUTE_MS, isoDay } from '../../shared/time';

/**
 * Sessions and bounces kept as per-visitor states that each rollup chunk advances: however a
 * visitor's hits are split into batches and whatever order the batches arrive in — on an open day
 * and on a closed one — the live figures and the rolled-up ones equal a recount from the raw rows.
 */
describe('sessions and bounces from batches in any order', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  const start = Math.floor((Date.now() - 20 * DAY_MS) / DAY_MS) * DAY_MS;
  const day = isoDay(start);
  const rollup = (now?: number) =>
    app.strapi.plugin('usage-analytics').service('rollup').runOnce(now);

  const random = seededRandom(11);
  const KINDS = ['pageview', 'pageview', 'api_read', 'engagement', 'event', 'list_read'] as const;

  /** Hits of 30 visitors on the day, gaps around 30 minutes, dealt into `batches` random batches. */
  function traffic(batches: number, visitors = 30) {
    const out = Array.from({ length: batches }, () => [] as ReturnType<typeof rawEventRow>[]);
    for (let v = 0; v < visitors; v += 1) {
      let minute = Math.floor(random() * 600);
      for (let h = 0; h < 1 + Math.floor(random() * 8); h += 1) {
        minute += Math.floor(random() * 45);
        const kind = KINDS[Math.floor(random() * KINDS.length)];
        out[Math.floor(random() * batches)].push(
          rawEventRow({
            ts: start + minute * MINUTE_MS + Math.floor(random() * 1000),
            kind,
            source: kind === 'api_read' || kind === 'list_read' ? 'api' : 'tracker',
            path: '/a',
            content_type: kind === 'list_read' ? 'api::article.article' : null,
            visitor_hash: `f${v.toString(16).padStart(15, 'e')}`,
            hits: kind === 'api_read' && random() < 0.2 ? 3 : 1,
            event_name: kind === 'event' ? 'signup' : null,
            engaged_ms: kind === 'engagement' ? 1000 : null,
          })
        );
      }
    }
    return out.filter((b) => b.length);
  }

  /** The day's sessions and bounce rate as the dashboard shows them, and what the rows say. */
  async function shownAndTruth() {
    const { totals } = await overviewAs(app, admin, day, day);
    const truth = expectedSiteDaily(await rawEvents(knex))[day];
    return {
      shown: {
        sessions: totals.sessions,
        bounceRate: totals.bounceRate,
      },
      truth: {
        sessions: truth.sessions,
        bounceRate: Math.round((truth.bounces / truth.sessions) * 1000) / 10,
      },
      truthBounces: truth.bounces,
    };
  }

  beforeAll(async () => {
    app = await bootApp({ pluginConfig: { rollup: { cron: '0 0 1 1 *' } } });
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
  });
  afterAll(() => app?.stop());

  it('on an open day: live before each rollup, exact after it, states advanced in place', async () => {
    // A rollup "at" 20:00 of the day keeps the day open (it closes three hours after it ends).
    const evening = start + 20 * HOUR_MS;
    for (const batch of traffic(6)) {
      await insertRows(knex, 'ua_events', batch);
      const live = await shownAndTruth();
      expect(live.shown).toEqual(live.truth);
      await rollup(evening);
      const rolled = await shownAndTruth();
      expect(rolled.shown).toEqual(rolled.truth);
      const site = (await storedSiteDaily(knex))[day] as Record<string, number>;
      expect({ sessions: site.sessions, bounces: site.bounces }).toEqual({
        sessions: rolled.truth.sessions,
        bounces: rolled.truthBounces,
      });
    }
    // Every visitor of the day has its state; its last hit is its latest session-relevant row.
    const states = await knex('ua_visitor_sessions').where({ day });
    const lastHit = new Map<string, number>();
    for (const r of await rawEvents(knex)) {
      if (r.kind === 'list_read') continue;
      lastHit.set(r.visitor_hash, Math.max(lastHit.get(r.visitor_hash) ?? 0, r.ts));
    }
    expect(states.length).toBe(lastHit.size);
    for (const s of states)
      expect([s.visitor, Number(s.last_ts)]).toEqual([s.visitor, lastHit.get(s.visitor)]);
  });

  it('on a closed day: late batches with earlier hits are recounted from the raw rows', async () => {
    await rollup(); // now: closes the day and forgets its states
    expect(await knex('ua_visitor_sessions').where({ day })).toEqual([]);
    for (const batch of traffic(3)) {
      await insertRows(knex, 'ua_events', batch);
      const live = await shownAndTruth();
      expect(live.shown).toEqual(live.truth);
      await rollup();
      const rolled = await shownAndTruth();
      expect(rolled.shown).toEqual(rolled.truth);
    }
    expect(await knex('ua_visitor_sessions').where({ day })).toEqual([]);
  });
});
