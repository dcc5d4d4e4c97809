import type { Hit } from '../../server/src/collection/event-row';
import { utcDay, visitorHash } from '../../server/src/collection/visitor-hash';
import type { PluginConfig } from '../../server/src/config/schema';
import type { VisitorContext } from '../../server/src/services/collector';
import { collectorWithServices } from '../helpers/collector-services';
import { BOT_UA, BROWSER_UA, IPHONE_UA } from '../helpers/content';
import { MINUTE_MS } from '../../shared/time';

const NOON = Date.parse('2026-12-07T12:00:00Z');
const PAGEVIEW: Hit = { kind: 'pageview', source: 'tracker', ts: NOON, path: '/blog/hello' };
const VISITOR: VisitorContext = { ip: '203.0.113.5', userAgent: BROWSER_UA, optOut: false };

/** Records each hit with the given configuration; the outcomes, the rows queued, the drops counted. */
function record(
  hits: Array<Partial<Hit>>,
  options: {
    config?: Partial<PluginConfig>;
    visitor?: Partial<VisitorContext>;
    rateLimit?: boolean;
    capacity?: number;
  } = {}
) {
  const { collector, rows, drops } = collectorWithServices(options.config, options);
  const outcomes = hits.map((hit) =>
    collector.record(
      { ...PAGEVIEW, ...hit },
      { ...VISITOR, ...options.visitor },
      { rateLimit: options.rateLimit }
    )
  );
  return { outcomes, rows, drops };
}

describe('collector: what is counted, and what is kept of it', () => {
  it('queues a pageview with the device class and a visitor hash, not the IP or user agent', () => {
    const { outcomes, rows } = record([{ utmCampaign: 'winter', referrerHost: 'news.example' }], {
      visitor: { country: 'FR' },
    });
    expect(outcomes).toEqual([{ recorded: true }]);
    expect(rows).toEqual([
      {
        ts: NOON,
        kind: 'pageview',
        source: 'tracker',
        content_type: null,
        document_id: null,
        locale: null,
        path: '/blog/hello',
        referrer_host: 'news.example',
        utm_source: null,
        utm_medium: null,
        utm_campaign: 'winter',
        device: 'desktop',
        browser: 'Chrome',
        os: 'Windows',
        country: 'FR',
        visitor_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
        engaged_ms: null,
        scroll_depth: null,
        event_name: null,
        props: null,
        hits: 1,
      },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113\.5|Mozilla|Chrome\/126/);
  });

  it('tells a phone from a desktop', () => {
    const { rows } = record([{}], { visitor: { userAgent: IPHONE_UA } });
    expect([rows[0].device, rows[0].browser, rows[0].os]).toEqual(['mobile', 'Safari', 'iOS']);
  });

  it('stores an event with its props, and names an event whose name is only control characters', () => {
    const { rows } = record([
      { kind: 'event', eventName: 'sign\u0000up', props: { plan: 'pro' } },
      { kind: 'event', eventName: '\u0007\u0008' },
    ]);
    expect(rows.map((r) => [r.event_name, r.props])).toEqual([
      ['signup', '{"plan":"pro"}'],
      ['(unnamed)', null],
    ]);
  });

  it('stores the site root for a hit without a path, and no control characters', () => {
    const { rows } = record([{ path: null }, { path: '/a\u0000b', utmSource: '\u001f' }]);
    expect(rows.map((r) => [r.path, r.utm_source])).toEqual([
      ['/', null],
      ['/ab', null],
    ]);
  });
});

describe('collector: what is refused, and the drop it counts', () => {
  it('counts nothing while collection is switched off', () => {
    const { outcomes, rows, drops } = record([{}], { config: { enabled: false } });
    expect([outcomes, rows.length, drops]).toEqual([
      [{ recorded: false, reason: 'disabled' }],
      0,
      ['disabled'],
    ]);
  });

  it('respects Do Not Track and Global Privacy Control, unless configured not to', () => {
    expect(record([{}], { visitor: { optOut: true } }).outcomes).toEqual([
      { recorded: false, reason: 'dnt' },
    ]);
    expect(
      record([{}], { visitor: { optOut: true }, config: { respectDoNotTrack: false } }).outcomes
    ).toEqual([{ recorded: true }]);
  });

  it.each([
    ['a search engine crawler', BOT_UA],
    ['curl', 'curl/8.5.0'],
    ['a headless browser', BROWSER_UA.replace('Chrome/', 'HeadlessChrome/')],
    ['no user agent at all', ''],
  ])('refuses %s as a bot', (_who, userAgent) => {
    const { outcomes, drops } = record([{}], { visitor: { userAgent } });
    expect([outcomes, drops]).toEqual([[{ recorded: false, reason: 'bot' }], ['bot']]);
  });

  it('drops the content types configured out, and only those', () => {
    const config = { excludeContentTypes: ['api::page.page'] };
    const { outcomes } = record(
      [
        { contentType: 'api::page.page', documentId: 'p1' },
        { contentType: 'api::article.article', documentId: 'a1' },
      ],
      { config }
    );
    expect(outcomes).toEqual([{ recorded: false, reason: 'excluded' }, { recorded: true }]);
  });

  it('drops a configured path and what is under it, not a path that only starts alike', () => {
    const paths = ['/preview', '/preview/post-1', '/previews', '/drafts/', '/drafts/x', '/drafts'];
    const { outcomes } = record(
      paths.map((path) => ({ path })),
      { config: { excludePaths: ['/preview', '/drafts/'] } }
    );
    expect(Object.fromEntries(paths.map((p, i) => [p, outcomes[i].recorded]))).toEqual({
      '/preview': false,
      '/preview/post-1': false,
      '/previews': true,
      '/drafts/': false,
      '/drafts/x': false,
      '/drafts': true,
    });
  });

  it('samples whole visitors: each is always or never counted, about the share configured', () => {
    const { collector, rows } = collectorWithServices({ sampleRate: 0.5 });
    const counted = new Map<string, number>();
    for (let v = 0; v < 200; v += 1) {
      const ip = `198.51.100.${v}`;
      for (let i = 0; i < 3; i += 1) {
        const before = rows.length;
        collector.record({ ...PAGEVIEW, ts: NOON + i * 60_000 }, { ...VISITOR, ip });
        counted.set(ip, (counted.get(ip) ?? 0) + rows.length - before);
      }
    }
    const perVisitor = new Set(counted.values());
    expect([...perVisitor].sort()).toEqual([0, 3]);
    const share = [...counted.values()].filter((n) => n === 3).length / 200;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    expect(record([{}], { config: { sampleRate: 0 } }).outcomes).toEqual([
      { recorded: false, reason: 'sampled' },
    ]);
  });

  it("answers a full buffer's refusal without counting it as a collector drop", () => {
    const { outcomes, drops } = record([{}, {}], { capacity: 1 });
    expect([outcomes, drops]).toEqual([
      [{ recorded: true }, { recorded: false, reason: 'buffer_full' }],
      [],
    ]);
  });

  it('checks the switch first, then the opt-out, then bots', () => {
    const bot = { userAgent: BOT_UA, optOut: true };
    expect(record([{}], { visitor: bot, config: { enabled: false } }).drops).toEqual(['disabled']);
    expect(record([{}], { visitor: bot }).drops).toEqual(['dnt']);
  });
});

describe('collector: rate limits, for the endpoints that ask for them', () => {
  const rateLimit = { perVisitorPerMinute: 3, perAddressPerMinute: null };

  it('caps one visitor per minute, and serves it again the next minute', () => {
    const minute = [0, 1, 2, 3].map((s) => ({ ts: NOON + s * 1000 }));
    const { outcomes } = record([...minute, { ts: NOON + 60_000 }], {
      config: { rateLimit },
      rateLimit: true,
    });
    expect(outcomes.map((o) => (o.recorded ? 'counted' : o.reason))).toEqual([
      'counted',
      'counted',
      'counted',
      'rate_limited',
      'counted',
    ]);
  });

  it('does not limit Content API reads (recorded without asking for it)', () => {
    const { outcomes } = record(
      Array.from({ length: 10 }, () => ({ kind: 'api_read' as const })),
      { config: { rateLimit } }
    );
    expect(outcomes.filter((o) => !o.recorded)).toEqual([]);
  });

  it('caps one address that changes its user agent at ten visitor limits', () => {
    const { collector } = collectorWithServices({ rateLimit });
    const outcomes = Array.from({ length: 31 }, (_, i) =>
      collector.record(
        PAGEVIEW,
        { ...VISITOR, userAgent: BROWSER_UA.replace('126.0.0.0', `126.0.${i}.0`) },
        { rateLimit: true }
      )
    );
    expect(outcomes.slice(29)).toEqual([
      { recorded: true },
      { recorded: false, reason: 'address_limited' },
    ]);
    // Another address is served meanwhile.
    expect(
      collector.record(PAGEVIEW, { ...VISITOR, ip: '203.0.113.99' }, { rateLimit: true })
    ).toEqual({ recorded: true });
  });
});

const SCOPE = 'usage-analytics';
const D = Date.UTC(2026, 11, 7); // a UTC midnight

/** The collector (salted `salt-of-<day>`), a pageview of one visitor, the hash it should get. */
function visitorViews() {
  const { collector, rows } = collectorWithServices();
  const view = (ts: number, ip: string) => {
    const hit: Hit = { kind: 'pageview', source: 'tracker', ts, path: '/' };
    expect(collector.record(hit, { ip, userAgent: BROWSER_UA, optOut: false })).toEqual({
      recorded: true,
    });
    return rows[rows.length - 1].visitor_hash;
  };
  const hashOn = (ts: number, ip: string) =>
    visitorHash(`salt-of-${utcDay(ts)}`, SCOPE, ip, BROWSER_UA);
  return { view, hashOn };
}

describe('collector: visitor hashes', () => {
  it('hashes each visitor with the salt of the day, the same on every hit of the day', () => {
    const { view, hashOn } = visitorViews();
    for (let i = 0; i < 3; i += 1) {
      for (const ip of ['203.0.113.1', '203.0.113.2']) {
        expect(view(D + 12 * 60 * MINUTE_MS + i * MINUTE_MS, ip)).toBe(
          hashOn(D + 12 * 60 * MINUTE_MS, ip)
        );
      }
    }
    expect(hashOn(D, '203.0.113.1')).not.toBe(hashOn(D - MINUTE_MS, '203.0.113.1'));
  });

  it("carries a session across midnight on yesterday's hash, and only a live one", () => {
    const { view, hashOn } = visitorViews();
    const night = '203.0.113.10';
    const noon = '203.0.113.11';
    const before = view(D - 10 * MINUTE_MS, night); // 23:50
    view(D - 12 * 60 * MINUTE_MS, noon); // 12:00 the day before
    expect(view(D + 10 * MINUTE_MS, night)).toBe(before); // 00:10: same session
    expect(view(D + 25 * MINUTE_MS, night)).toBe(before); // 00:25: still going
    expect(view(D + 10 * MINUTE_MS, noon)).toBe(hashOn(D, noon)); // a new session of a new day
    expect(view(D + 2 * 60 * MINUTE_MS, night)).toBe(hashOn(D, night)); // 02:00: today's hash
  });

  it('starts a new day for a visitor whose last hit was more than 30 minutes before midnight', () => {
    const { view, hashOn } = visitorViews();
    const ip = '203.0.113.20';
    view(D - 40 * MINUTE_MS, ip); // 23:20
    expect(view(D + 5 * MINUTE_MS, ip)).toBe(hashOn(D, ip)); // 00:05, 45 minutes later
  });
});
