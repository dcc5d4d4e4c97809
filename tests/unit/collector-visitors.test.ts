import type { Core } from '@strapi/strapi';
import { DEFAULT_CONFIG } from '../../server/src/config/defaults';
import type { EventRow, Hit } from '../../server/src/collection/event-row';
import { utcDay, visitorHash } from '../../server/src/collection/visitor-hash';
import createCollector from '../../server/src/services/collector';

const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SCOPE = 'usage-analytics';
const D = Date.UTC(2026, 11, 7); // a UTC midnight
const MIN = 60_000;

/** The collector with the services it calls: the defaults, a salt per day, a row list. */
function setup() {
  const rows: EventRow[] = [];
  const salts = new Map<string, string>();
  const services: Record<string, unknown> = {
    'plugin-config': { get: () => DEFAULT_CONFIG },
    salts: {
      saltFor: (day: string) => {
        if (!salts.has(day)) salts.set(day, `salt-of-${day}`);
        return salts.get(day);
      },
      hasSalt: (day: string) => salts.has(day),
    },
    'event-pipeline': {
      pushEvent: (row: EventRow) => rows.push(row) > 0,
      countDrop: () => undefined,
    },
  };
  const strapi = { plugin: () => ({ service: (name: string) => services[name] }) };
  const collector = createCollector({ strapi: strapi as unknown as Core.Strapi });
  const view = (ts: number, ip: string) => {
    const hit: Hit = { kind: 'pageview', source: 'tracker', ts, path: '/' };
    expect(collector.record(hit, { ip, userAgent: UA, optOut: false })).toEqual({ recorded: true });
    return rows[rows.length - 1].visitor_hash;
  };
  const hashOn = (ts: number, ip: string) => visitorHash(`salt-of-${utcDay(ts)}`, SCOPE, ip, UA);
  return { view, hashOn };
}

describe('collector: visitor hashes', () => {
  it('hashes each visitor with the salt of the day, the same on every hit of the day', () => {
    const { view, hashOn } = setup();
    for (let i = 0; i < 3; i += 1) {
      for (const ip of ['203.0.113.1', '203.0.113.2']) {
        expect(view(D + 12 * 60 * MIN + i * MIN, ip)).toBe(hashOn(D + 12 * 60 * MIN, ip));
      }
    }
    expect(hashOn(D, '203.0.113.1')).not.toBe(hashOn(D - MIN, '203.0.113.1'));
  });

  it("carries a session across midnight on yesterday's hash, and only a live one", () => {
    const { view, hashOn } = setup();
    const night = '203.0.113.10';
    const noon = '203.0.113.11';
    const before = view(D - 10 * MIN, night); // 23:50
    view(D - 12 * 60 * MIN, noon); // 12:00 the day before
    expect(view(D + 10 * MIN, night)).toBe(before); // 00:10: same session
    expect(view(D + 25 * MIN, night)).toBe(before); // 00:25: still going
    expect(view(D + 10 * MIN, noon)).toBe(hashOn(D, noon)); // a new session of a new day
    expect(view(D + 2 * 60 * MIN, night)).toBe(hashOn(D, night)); // 02:00: today's hash
  });

  it('starts a new day for a visitor whose last hit was more than 30 minutes before midnight', () => {
    const { view, hashOn } = setup();
    const ip = '203.0.113.20';
    view(D - 40 * MIN, ip); // 23:20
    expect(view(D + 5 * MIN, ip)).toBe(hashOn(D, ip)); // 00:05, 45 minutes later
  });
});
