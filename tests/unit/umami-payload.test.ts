import { parseUmamiPayload } from '../../server/src/collection/umami-payload';
import { NOW, outcomesOf } from '../helpers/payload-outcomes';

const WEBSITE = '6f1c5a0e-2b7d-4c1e-9a3f-0d8e7b6a5c4d';

const event = (payload: Record<string, unknown>) => ({
  type: 'event',
  payload: { website: WEBSITE, ...payload },
});

/**
 * A payload's hit (null for `identify` and `performance`), or the message after Umami's
 * "Bad request: ".
 */
const { hitOf, refusalOf: refusal } = outcomesOf(parseUmamiPayload, (r) => r.message);

describe('Umami payloads: what is stored', () => {
  it('stores an event without a name as a pageview of its path on its hostname', () => {
    expect(
      hitOf(
        event({
          hostname: 'Site.Example',
          url: '/pricing?plan=pro&utm_campaign=launch',
          referrer: 'https://www.news.example/story',
          title: 'Pricing',
          screen: '1920x1080',
          language: 'en-US',
        })
      )
    ).toEqual({
      kind: 'pageview',
      source: 'umami',
      ts: NOW,
      path: '/pricing',
      referrerHost: 'news.example',
      utmSource: null,
      utmMedium: null,
      utmCampaign: 'launch',
      eventName: null,
      props: null,
    });
  });

  it('does not count a referrer from the same hostname', () => {
    expect(
      hitOf(event({ hostname: 'site.example', url: '/b', referrer: 'https://site.example/a' }))
        ?.referrerHost
    ).toBeNull();
  });

  it('counts the home page when the url is missing', () => {
    expect(hitOf(event({}))?.path).toBe('/');
  });

  it('stores an event with a name as a custom event, its data as props', () => {
    const hit = hitOf(
      event({ url: '/pricing', name: 'checkout', data: { plan: 'pro', seats: 3 } })
    );
    expect([hit?.kind, hit?.eventName, hit?.props]).toEqual([
      'event',
      'checkout',
      { plan: 'pro', seats: 3 },
    ]);
  });

  it('treats a blank name as a pageview, as Umami does', () => {
    expect(hitOf(event({ url: '/', name: '  ' }))?.kind).toBe('pageview');
  });

  it('accepts identify and performance payloads and stores nothing of them', () => {
    expect(hitOf({ type: 'identify', payload: { website: WEBSITE, id: 'user-42' } })).toBeNull();
    expect(hitOf({ type: 'performance', payload: { website: WEBSITE, lcp: 1200 } })).toBeNull();
  });

  it('never keeps the ip, user agent or user id a payload carries', () => {
    const hit = hitOf(
      event({ url: '/', ip: '203.0.113.9', userAgent: 'curl/8', id: 'user-42', name: 'x' })
    );
    expect(JSON.stringify(hit)).not.toMatch(/203\.0\.113\.9|curl|user-42/);
  });
});

describe('Umami payloads: what is refused, and the message the sender reads', () => {
  it.each<[string, unknown, string]>([
    ['an unknown type', { type: 'click', payload: { website: WEBSITE } }, 'type: '],
    ['no payload', { type: 'event' }, 'payload: '],
    [
      'no website, link or pixel',
      { type: 'event', payload: { url: '/' } },
      'payload: exactly one of website, link or pixel is required',
    ],
    [
      'both a website and a link',
      { type: 'event', payload: { website: WEBSITE, link: WEBSITE } },
      'payload: exactly one of website, link or pixel is required',
    ],
    [
      'a website that is not a UUID',
      { type: 'event', payload: { website: 'my-site' } },
      'payload.website: Invalid UUID',
    ],
    ['a hostname over 100 characters', event({ hostname: 'h'.repeat(101) }), 'payload.hostname: '],
    ['a name over 50 characters', event({ name: 'n'.repeat(51) }), 'payload.name: '],
    ['a url over 4096 characters', event({ url: `/${'u'.repeat(4096)}` }), 'payload.url: '],
    ['a screen over 11 characters', event({ screen: '123456x123456' }), 'payload.screen: '],
    ['a web vital out of range', event({ lcp: 60_001 }), 'payload.lcp: '],
    ['data that is not an object', event({ data: [1, 2] }), 'payload.data: '],
    [
      'more than 30 data pairs',
      event({
        name: 'x',
        data: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])),
      }),
      'payload.data: props may hold at most 30 pairs',
    ],
    [
      'a hostname that makes no URL',
      event({ hostname: 'bad host', url: '/' }),
      'payload.url: must be a URL or a path',
    ],
  ])('refuses %s', (_what, body, message) => {
    expect(refusal(body)).toContain(message);
  });

  it("counts an event at the server's time, whatever timestamp it claims, but checks that one", () => {
    expect(hitOf(event({ timestamp: '1765121400' }))?.ts).toBe(NOW);
    expect(refusal(event({ timestamp: 'yesterday' }))).toContain('payload.timestamp: ');
  });
});
