import { parseTrackerPayload } from '../../server/src/collection/tracker-payload';
import { NOW, outcomesOf } from '../helpers/payload-outcomes';

const URL_ = 'https://site.example/blog/hello?id=7&utm_source=news&utm_campaign=winter#top';

/** A payload's hit, or the 400 message it is refused with. */
const { hitOf, refusalOf: refusal } = outcomesOf(parseTrackerPayload, (r) => r.message);

describe('tracker payload: what is stored', () => {
  it('keeps the path and campaign of a pageview, never its query string or #fragment', () => {
    expect(
      hitOf({ type: 'pageview', url: URL_, referrer: 'https://www.search.example/?q=hello' })
    ).toEqual({
      kind: 'pageview',
      source: 'tracker',
      ts: NOW,
      path: '/blog/hello',
      referrerHost: 'search.example',
      utmSource: 'news',
      utmMedium: null,
      utmCampaign: 'winter',
      contentType: null,
      documentId: null,
      locale: null,
      eventName: null,
      props: null,
      engagedMs: null,
      scrollDepth: null,
    });
  });

  it('drops a referrer from the site itself (navigation inside the site)', () => {
    expect(
      hitOf({ type: 'pageview', url: URL_, referrer: 'https://site.example/' }).referrerHost
    ).toBeNull();
  });

  it('names the entry a view is about', () => {
    const hit = hitOf({
      type: 'pageview',
      url: URL_,
      contentType: 'api::article.article',
      documentId: 'abc123',
      locale: 'fr-CA',
    });
    expect([hit.contentType, hit.documentId, hit.locale]).toEqual([
      'api::article.article',
      'abc123',
      'fr-CA',
    ]);
  });

  it('stores an event under its trimmed name with its scalar props', () => {
    const hit = hitOf({
      type: 'event',
      url: URL_,
      name: '  signup ',
      props: { plan: 'pro', seats: 3, list: [1, 2] },
    });
    expect([hit.kind, hit.eventName, hit.props]).toEqual([
      'event',
      'signup',
      { plan: 'pro', seats: 3 },
    ]);
  });

  it('keeps the engaged time and scroll depth of an engagement', () => {
    const hit = hitOf({ type: 'engagement', url: URL_, engagedMs: 12_500, scrollDepth: 80 });
    expect([hit.kind, hit.engagedMs, hit.scrollDepth]).toEqual(['engagement', 12_500, 80]);
  });
});

describe('tracker payload: what is refused, and the message the sender reads', () => {
  it.each<[string, unknown, string]>([
    ['an unknown type', { type: 'click', url: URL_ }, 'type: '],
    ['no url', { type: 'pageview' }, 'url: '],
    ['an empty url', { type: 'pageview', url: '' }, 'url: '],
    [
      'a url over 4096 characters',
      { type: 'pageview', url: `${URL_}${'x'.repeat(4096)}` },
      'url: ',
    ],
    [
      'a key the tracker never sends',
      { type: 'pageview', url: URL_, ip: '203.0.113.1' },
      'Unrecognized key: "ip"',
    ],
    ['an event without a name', { type: 'event', url: URL_ }, 'name: is required for type "event"'],
    ['an event with a blank name', { type: 'event', url: URL_, name: '   ' }, 'name: '],
    [
      'a pageview with a name',
      { type: 'pageview', url: URL_, name: 'x' },
      'name: name and props only go with type "event"',
    ],
    [
      'a pageview with props',
      { type: 'pageview', url: URL_, props: { a: 1 } },
      'name: name and props only go with type "event"',
    ],
    [
      'an event with an engaged time',
      { type: 'event', url: URL_, name: 'x', engagedMs: 5 },
      'engagedMs: engagedMs and scrollDepth only go with type "engagement"',
    ],
    [
      'an engaged time over a day',
      { type: 'engagement', url: URL_, engagedMs: 86_400_001 },
      'engagedMs: ',
    ],
    ['a negative engaged time', { type: 'engagement', url: URL_, engagedMs: -1 }, 'engagedMs: '],
    [
      'a scroll depth over 100',
      { type: 'engagement', url: URL_, scrollDepth: 101 },
      'scrollDepth: ',
    ],
    [
      'a content type without a document',
      { type: 'pageview', url: URL_, contentType: 'api::article.article' },
      'documentId: contentType and documentId go together',
    ],
    [
      'a content type that is not a uid',
      { type: 'pageview', url: URL_, contentType: 'article', documentId: 'a' },
      'contentType: must be a content type uid such as api::article.article',
    ],
    [
      'a locale that is not a locale code',
      { type: 'pageview', url: URL_, locale: 'english!' },
      'locale: must be a locale code such as en or fr-CA',
    ],
    [
      'a url that is not http(s)',
      { type: 'pageview', url: 'javascript:alert(1)' },
      'url: must be an http(s) URL with a path of at most 2000 characters',
    ],
    [
      'a path over 2000 characters',
      { type: 'pageview', url: `https://site.example/${'p'.repeat(2001)}` },
      'url: must be an http(s) URL with a path of at most 2000 characters',
    ],
    [
      'more than 30 props',
      {
        type: 'event',
        url: URL_,
        name: 'x',
        props: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])),
      },
      'props: props may hold at most 30 pairs',
    ],
    [
      'props that are a list',
      { type: 'event', url: URL_, name: 'x', props: [1, 2] },
      'props: props must be an object',
    ],
  ])('refuses %s', (_what, payload, message) => {
    expect(refusal(payload)).toContain(message);
  });

  it('lists every problem of a payload in one message', () => {
    expect(refusal({ type: 'event', url: '' }).split('; ')).toEqual([
      expect.stringMatching(/^url: /),
      'name: is required for type "event"',
    ]);
  });

  it.each([null, 'pageview', 42, [{ type: 'pageview', url: URL_ }]])('refuses the body %j', (b) => {
    expect(parseTrackerPayload(b, NOW).ok).toBe(false);
  });
});
