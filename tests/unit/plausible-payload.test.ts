import { parsePlausiblePayload } from '../../server/src/collection/plausible-payload';
import { NOW, outcomesOf } from '../helpers/payload-outcomes';

const PAGE = 'https://site.example/docs/start?ref=x&utm_source=mail&utm_medium=email#intro';

/** An event's hit, or Plausible's 400 body, `{ field: [message] }`, it is refused with. */
const { hitOf, refusalOf: errorsOf } = outcomesOf(parsePlausiblePayload, (r) => r.errors);

describe('Plausible events: what is stored', () => {
  it('stores a pageview sent with the short keys of the Plausible script', () => {
    expect(
      hitOf({ n: 'pageview', u: PAGE, d: 'site.example', r: 'https://www.news.example/a' })
    ).toEqual({
      kind: 'pageview',
      source: 'plausible',
      ts: NOW,
      path: '/docs/start',
      referrerHost: 'news.example',
      utmSource: 'mail',
      utmMedium: 'email',
      utmCampaign: null,
      eventName: null,
      props: null,
      engagedMs: null,
      scrollDepth: null,
    });
  });

  it('reads the long keys of the Events API the same way', () => {
    expect(hitOf({ name: 'pageview', url: PAGE, domain: 'site.example' })).toEqual(
      hitOf({ n: 'pageview', u: PAGE, d: 'site.example' })
    );
  });

  it('keeps the #fragment only with hash mode', () => {
    expect(hitOf({ n: 'pageview', u: PAGE }).path).toBe('/docs/start');
    expect(hitOf({ n: 'pageview', u: PAGE, h: 1 }).path).toBe('/docs/start#intro');
    expect(hitOf({ n: 'pageview', u: PAGE, hashMode: '1' }).path).toBe('/docs/start#intro');
  });

  it('stores a custom event with its props as text, from an object or a JSON string', () => {
    const fromObject = hitOf({ n: 'Signup', u: PAGE, p: { plan: 'pro', seats: 3, trial: true } });
    expect([fromObject.kind, fromObject.eventName, fromObject.props]).toEqual([
      'event',
      'Signup',
      { plan: 'pro', seats: '3', trial: 'true' },
    ]);
    expect(hitOf({ n: 'Signup', u: PAGE, m: '{"plan":"pro"}' }).props).toEqual({ plan: 'pro' });
    expect(hitOf({ n: 404, u: PAGE }).eventName).toBe('404');
  });

  it('keeps the first 30 props, as Plausible does', () => {
    const props = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, `v${i}`]));
    const kept = hitOf({ n: 'Download', u: PAGE, props }).props!;
    expect(Object.keys(kept)).toHaveLength(30);
    expect(kept.k29).toBe('v29');
    expect(kept.k30).toBeUndefined();
  });

  it('takes the engaged time and scroll depth of an engagement, the depth capped at 100', () => {
    const hit = hitOf({ n: 'engagement', u: PAGE, e: '4200', sd: 130 });
    expect([hit.kind, hit.engagedMs, hit.scrollDepth, hit.eventName]).toEqual([
      'engagement',
      4200,
      100,
      null,
    ]);
    // One valid reading is enough; an engaged time over a day is not kept.
    expect(hitOf({ n: 'engagement', u: PAGE, sd: 50, e: 86_400_001 }).engagedMs).toBeNull();
  });
});

describe('Plausible events: what is refused, with the error Plausible itself would send', () => {
  it('needs an event name and a URL', () => {
    expect(errorsOf({})).toEqual({ event_name: ['is required'], url: ['is required'] });
  });

  it.each<[string, Record<string, unknown>, Record<string, string[]>]>([
    ['a blank name', { n: ' ', u: PAGE }, { event_name: ['is invalid'] }],
    ['a name that is an object', { n: {}, u: PAGE }, { event_name: ['is invalid'] }],
    [
      'a name over 120 characters',
      { n: 'x'.repeat(121), u: PAGE },
      { event_name: ['should be at most 120 character(s)'] },
    ],
    [
      'a URL over 2000 bytes',
      { n: 'pageview', u: `${PAGE}${'é'.repeat(1000)}` },
      {
        url: ['must be a valid url'],
      },
    ],
    ['a data: URL', { n: 'pageview', u: 'data:text/html,hi' }, { url: ['scheme is not allowed'] }],
    [
      'a URL that is not http(s)',
      { n: 'pageview', u: 'ftp://site.example/' },
      {
        url: ['must be a valid url'],
      },
    ],
    ['a URL that is a number', { n: 'pageview', u: 42 }, { url: ['must be a valid url'] }],
    [
      'a blank domain',
      { n: 'pageview', u: PAGE, d: ' ,site.example' },
      {
        domain: ["can't be blank"],
      },
    ],
    [
      'a prop value over 2000 bytes',
      { n: 'Signup', u: PAGE, p: { note: 'x'.repeat(2001) } },
      { props: ['keys should have at most 300 bytes and values 2000 bytes'] },
    ],
    [
      'an engagement without a valid reading',
      { n: 'engagement', u: PAGE, sd: -1, e: 'soon' },
      {
        event_name: [
          "engagement event requires a valid integer value for at least one of 'sd' or 'e' fields",
        ],
      },
    ],
  ])('refuses %s', (_what, body, errors) => {
    expect(errorsOf(body)).toEqual(errors);
  });

  it.each([null, 'pageview', [{ n: 'pageview', u: PAGE }]])('refuses the body %j', (body) => {
    expect(errorsOf(body)).toEqual({ request: ['Unable to parse request body as json'] });
  });

  it('ignores props it cannot read rather than refusing the event', () => {
    expect(hitOf({ n: 'Signup', u: PAGE, p: 'not json' }).props).toBeNull();
  });
});
