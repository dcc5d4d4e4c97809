import { VisitorHashCache } from '../../server/src/collection/visitor-hash-cache';
import { utcDay, visitorHash } from '../../server/src/collection/visitor-hash';
import { DAY_MS } from '../../shared/time';

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0';

describe('visitor hash cache', () => {
  it('gives the same hash as computing it, for every visitor and salt', () => {
    const cache = new VisitorHashCache('site', 100);
    for (const salt of ['salt-1', 'salt-2']) {
      for (let i = 0; i < 300; i += 1) {
        const ip = `10.0.${i >> 8}.${i & 255}`;
        const ua = i % 2 ? UA : 'curl/8';
        // Twice: the second answer comes from the cache (or, past the bound, is computed again).
        expect(cache.hash(salt, ip, ua)).toBe(visitorHash(salt, 'site', ip, ua));
        expect(cache.hash(salt, ip, ua)).toBe(visitorHash(salt, 'site', ip, ua));
      }
    }
  });

  it('keeps at most its limit and forgets everything when the salt changes', () => {
    const cache = new VisitorHashCache('site', 50);
    for (let i = 0; i < 120; i += 1) cache.hash('salt-1', `10.0.0.${i}`, UA);
    expect(cache.size).toBe(50);
    const tomorrow = cache.hash('salt-2', '10.0.0.1', UA);
    expect(cache.size).toBe(1);
    expect(tomorrow).not.toBe(visitorHash('salt-1', 'site', '10.0.0.1', UA));
  });

  it('names the right UTC day when days alternate (utcDay remembers only the last)', () => {
    const midnight = Date.UTC(2026, 11, 7);
    for (const [ts, day] of [
      [midnight - 1, '2026-12-06'],
      [midnight, '2026-12-07'],
      [midnight - 1, '2026-12-06'],
      [midnight + 86_399_999, '2026-12-07'],
      [midnight + DAY_MS, '2026-12-08'],
      [-1, '1969-12-31'],
    ] as const) {
      expect(utcDay(ts)).toBe(day);
    }
  });
});
