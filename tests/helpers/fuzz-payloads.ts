import fc from 'fast-check';
import { DAY_MS } from '../../shared/time';

/**
 * Generators of hostile input for the public tracking endpoints: random JSON, mutated valid
 * events, raw text, hostile strings. Shared by tests/integration/fuzz.test.ts and the
 * reliability suite's larger run (tests/reliability/hostile-input.test.ts).
 */
export const hostile = fc.constantFrom(
  "' OR 1=1 --",
  '"; DROP TABLE ua_events; --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '__proto__',
  'constructor',
  '\u0000',
  '\uD800',
  '\u202E',
  '😀'.repeat(600),
  'x'.repeat(5000),
  '../../etc/passwd',
  'javascript:alert(1)',
  'data:text/html,x',
  '',
  ' '
);
export const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  hostile
);
export const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constant('https://example.com/a?utm_source=x&utm_campaign=%F0%9F%98%80'),
  anyString
);
export const scalar = fc.oneof(
  anyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null)
);
export const props = fc.oneof(
  fc.dictionary(anyString, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 40 }),
  anyString,
  scalar
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const uid = fc.oneof(
  fc.constantFrom('api::article.article', 'api::page.page', 'api::nope.nope'),
  anyString
);
const uuid = fc.oneof(fc.uuid(), anyString);

export const trackerBody = fc.record(
  {
    type: fc.oneof(fc.constantFrom('pageview', 'event', 'engagement'), anyString),
    url: urlish,
    referrer: maybe(fc.oneof(urlish, fc.constant(null))),
    name: maybe(anyString),
    props: maybe(props),
    contentType: maybe(uid),
    documentId: maybe(fc.oneof(fc.stringMatching(/^[a-z0-9]{24}$/), anyString)),
    locale: maybe(fc.oneof(fc.constantFrom('en', 'fr', 'fr-CA'), anyString)),
    engagedMs: maybe(fc.oneof(fc.integer(), fc.double(), anyString)),
    scrollDepth: maybe(fc.oneof(fc.integer({ min: -10, max: 200 }), anyString)),
  },
  { requiredKeys: [] }
);
// Well-formed tracker events with hostile values, so the accepting path is fuzzed too.
const entry = fc.oneof(
  fc.constant({}),
  fc.record({
    contentType: fc.constantFrom('api::article.article', 'api::page.page'),
    documentId: fc.stringMatching(/^[a-z0-9]{24}$/),
    locale: fc.constantFrom('en', 'fr'),
  })
);
export const validTrackerBody = fc
  .tuple(
    fc.constantFrom('pageview', 'event', 'engagement'),
    fc.webUrl({ withQueryParameters: true }),
    entry
  )
  .chain(([type, url, ref]) =>
    fc
      .record({
        type: fc.constant(type),
        url: fc.constant(url),
        referrer: fc.oneof(fc.constant(null), urlish),
        ...(type === 'event'
          ? { name: fc.string({ minLength: 1, maxLength: 120 }), props: props }
          : {}),
        ...(type === 'engagement'
          ? {
              engagedMs: fc.integer({ min: 0, max: DAY_MS }),
              scrollDepth: fc.integer({ min: 0, max: 100 }),
            }
          : {}),
      })
      .map((body) => ({ ...body, ...ref }))
  );
export const plausibleBody = fc.record(
  {
    n: fc.oneof(fc.constantFrom('pageview', 'engagement', 'Signup'), anyString, fc.integer()),
    u: urlish,
    d: maybe(fc.oneof(fc.constantFrom('example.com', 'a.com,b.com'), anyString)),
    r: maybe(fc.oneof(urlish, fc.constant(null))),
    p: maybe(props),
    m: maybe(props),
    h: maybe(fc.oneof(fc.constant(1), scalar)),
    i: maybe(scalar),
    sd: maybe(fc.oneof(fc.integer({ min: -5, max: 500 }), anyString)),
    e: maybe(fc.oneof(fc.integer(), fc.constant(3_000_000_000), anyString)),
    $: maybe(fc.oneof(fc.record({ amount: scalar, currency: anyString }), anyString)),
  },
  { requiredKeys: [] }
);
export const umamiItem = fc.record(
  {
    type: fc.oneof(fc.constantFrom('event', 'identify', 'performance'), anyString),
    payload: fc.oneof(
      fc.record(
        {
          website: uuid,
          hostname: maybe(anyString),
          url: maybe(urlish),
          referrer: maybe(urlish),
          name: maybe(anyString),
          data: maybe(props),
          screen: maybe(anyString),
          language: maybe(anyString),
          title: maybe(anyString),
          lcp: maybe(fc.double()),
        },
        { requiredKeys: [] }
      ),
      scalar
    ),
  },
  { requiredKeys: [] }
);

/** A request: a payload (mostly the structured one as JSON, sometimes broken) and its headers. */
export const body = (structured: fc.Arbitrary<unknown>) =>
  fc.record({
    payload: fc.oneof(
      { weight: 6, arbitrary: structured.map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 1, arbitrary: structured.map((v) => JSON.stringify(v).slice(0, -3)) }
    ),
    contentType: fc.constantFrom('text/plain', 'application/json', 'text/plain;charset=UTF-8'),
    dnt: fc.boolean(),
    ip: fc.ipV4(),
  });
