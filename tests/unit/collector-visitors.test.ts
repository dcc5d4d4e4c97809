import type { Hit } from '../../server/src/collection/event-row';
import { utcDay, visitorHash } from '../../server/src/collection/visitor-hash';
import { collectorWithServices } from '../helpers/collector-services';
import { BROWSER_UA as UA } from '../helpers/content';
const SCOPE = 'usage-analytics';
const D = Date.UTC(2026, 11, 7); // a UTC midnight
const MIN = 60_000;

/** The collector (salted `salt-of-<day>`), a pageview of one visitor, the hash it should get. */
function setup() {
  const { collector, rows } = collectorWithServices();
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
