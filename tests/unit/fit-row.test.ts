import { ConfiguredLocales } from '../../server/src/collection/configured-locales';
import type { EventRow } from '../../server/src/collection/event-row';
import {
  COLUMN,
  PROPS_MAX_BYTES,
  createRowFitter,
  fitMethod,
  fitRequestStatsRow,
  fitText,
} from '../../server/src/collection/fit-row';
import { createScrubber, fragmentRoute } from '../../server/src/collection/personal-data';
import { MinuteRecorder } from '../../server/src/monitoring/minute-recorder';
import { rawEventRow } from '../helpers/aggregates';

const row = (overrides: Partial<EventRow> = {}): EventRow =>
  rawEventRow({
    ts: 0,
    kind: 'pageview',
    locale: null,
    path: '/',
    visitor_hash: 'a'.repeat(32),
    ...overrides,
  });

const CONFIGURED = new Map([
  ['en', 'en'],
  ['fr-ca', 'fr-CA'],
]);
const fitter = (patterns: string[] = []) =>
  createRowFitter({
    scrubber: createScrubber(patterns),
    matchLocale: (locale) => (locale ? (CONFIGURED.get(locale.toLowerCase()) ?? null) : null),
  });

describe('fitText', () => {
  it('drops NUL bytes and lone surrogates and cuts to the column without splitting a pair', () => {
    expect(fitText('a\u0000b', 10)).toBe('ab');
    expect(fitText('\uD800lone\uDFFF', 10)).toBe('lone');
    expect(fitText('abc', 2)).toBe('ab');
    // The cut would fall between the two halves of 😀: the half goes too.
    expect(fitText('a😀', 2)).toBe('a');
    expect(fitText('😀😀', 3)).toBe('😀');
    expect(fitText('\u0000', 5)).toBeNull();
    expect(fitText(null, 5)).toBeNull();
  });
});

describe('fitting an event row', () => {
  it('keeps only configured locales, as configured', () => {
    const fit = fitter();
    expect(fit.event(row({ locale: 'fr-ca' })).locale).toBe('fr-CA');
    expect(fit.event(row({ locale: 'en' })).locale).toBe('en');
    for (const odd of [
      'x'.repeat(40),
      'en-abcdefgh-abcdefgh',
      "en'; DROP TABLE ua_events; --",
      'en\u0000',
      '🇫🇷',
      '\uD800',
      'de',
    ]) {
      expect([odd, fit.event(row({ locale: odd })).locale]).toEqual([odd, null]);
    }
  });

  it('cuts every text to its column and removes NUL bytes and lone surrogates', () => {
    const long = '\u0000😀\uD800'.repeat(3000);
    const fitted = fitter().event(
      row({
        kind: 'event',
        path: `/${'p'.repeat(5000)}`,
        referrer_host: long,
        utm_source: long,
        utm_medium: long,
        utm_campaign: long,
        event_name: long,
        content_type: `api::${'a'.repeat(400)}`,
        document_id: 'd'.repeat(100),
      })
    );
    expect(fitted.path).toHaveLength(COLUMN.path);
    expect(fitted.content_type).toHaveLength(COLUMN.contentType);
    expect(fitted.document_id).toHaveLength(COLUMN.documentId);
    expect(fitted.event_name!.length).toBeLessThanOrEqual(COLUMN.eventName);
    for (const value of [fitted.utm_source, fitted.utm_medium, fitted.utm_campaign]) {
      expect(value!.length).toBeLessThanOrEqual(COLUMN.text);
      expect(value).toMatch(/^(😀)+$/);
    }
  });

  it('names an event whose name was only control characters', () => {
    expect(fitter().event(row({ kind: 'event', event_name: '\u0000\u0001' })).event_name).toBe(
      '(unnamed)'
    );
    expect(fitter().event(row({ kind: 'pageview', event_name: 'x' })).event_name).toBeNull();
  });

  it('keeps props within the TEXT column, dropping the last pairs past it', () => {
    const props: Record<string, string> = {};
    for (let i = 0; i < 30; i += 1) props[`${'k'.repeat(290)}${i}`] = 'é'.repeat(1000);
    const json = JSON.stringify(props);
    expect(Buffer.byteLength(json)).toBeGreaterThan(PROPS_MAX_BYTES);
    const fitted = fitter().event(row({ kind: 'event', event_name: 'e', props: json }));
    expect(Buffer.byteLength(fitted.props!)).toBeLessThanOrEqual(PROPS_MAX_BYTES);
    expect(Object.keys(JSON.parse(fitted.props!)).length).toBe(28);
  });
});

describe('scrubbing personal data', () => {
  const scrub = createScrubber();

  it('keeps a fragment’s route, never its parameters', () => {
    expect(scrub.path('/app#/pricing')).toBe('/app#/pricing');
    expect(scrub.path('/app#/callback?code=abc&state=xyz')).toBe('/app#/callback');
    expect(scrub.path('/#access_token=ya29.secret&state=xyz&token_type=Bearer')).toBe('/');
    expect(scrub.path('/#id_token=eyJhbGciOi.x.y')).toBe('/');
    expect(scrub.path('/docs#install')).toBe('/docs#install');
    expect(fragmentRoute('!/a/b&x=1')).toBe('!/a/b');
  });

  it('replaces e-mail addresses, also percent-encoded, in paths and text', () => {
    expect(scrub.path('/users/jane.doe+news@example.co.uk/profile')).toBe('/users/[email]/profile');
    expect(scrub.path('/users/jane%40example.com')).toBe('/users/[email]');
    expect(scrub.text('newsletter for JANE@EXAMPLE.COM')).toBe('newsletter for [email]');
    expect(scrub.text('@handle and a@b')).toBe('@handle and a@b');
  });

  it('removes the values of secret parameters and tokens', () => {
    expect(scrub.text('spring?token=abc123&x=1')).toBe('spring?token=[redacted]&x=1');
    expect(scrub.text('password=hunter2')).toBe('password=[redacted]');
    expect(scrub.text('a&Access_Token=zz')).toBe('a&Access_Token=[redacted]');
    expect(scrub.text('encode=1&barcode=2')).toBe('encode=1&barcode=2');
    expect(scrub.path('/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig')).toBe(
      '/reset/[redacted]'
    );
  });

  it('applies the site’s own patterns', () => {
    const custom = createScrubber(['\\bcust-\\d{6}\\b']);
    expect(custom.text('order for cust-123456 done')).toBe('order for [redacted] done');
    expect(custom.path('/customers/cust-123456')).toBe('/customers/[redacted]');
  });

  it('scrubs every stored text of an event row, props keys and values included', () => {
    const fitted = fitter().event(
      row({
        kind: 'event',
        path: '/u/jane@example.com#/x?access_token=t0k3n',
        utm_source: 'mail to jane@example.com',
        utm_medium: 'email',
        utm_campaign: 'x?code=oauthcode',
        event_name: 'signup jane@example.com',
        props: JSON.stringify({
          email: 'jane@example.com',
          Password: 'hunter2',
          'jane@example.com': 'key',
          plan: 'pro',
          n: 3,
        }),
      })
    );
    expect(fitted).toMatchObject({
      path: '/u/[email]#/x',
      utm_source: 'mail to [email]',
      utm_medium: 'email',
      utm_campaign: 'x?code=[redacted]',
      event_name: 'signup [email]',
    });
    expect(JSON.parse(fitted.props!)).toEqual({
      email: '[redacted]',
      Password: '[redacted]',
      '[email]': 'key',
      plan: 'pro',
      n: 3,
    });
  });
});

describe('fitting monitoring rows', () => {
  it('records any unusual HTTP method as OTHER, in one series', () => {
    expect(fitMethod('GET')).toBe('GET');
    expect(fitMethod('UNSUBSCRIBE')).toBe('OTHER');
    const recorder = new MinuteRecorder();
    recorder.record(0, 'UNSUBSCRIBE', '/x', 200, 1);
    recorder.record(1, 'PROPFIND', '/x', 200, 1);
    recorder.record(2, 'GET', '/x', 200, 1);
    const rows = recorder.take(60_000);
    expect(rows.map((r) => [r.method, r.count])).toEqual([
      ['OTHER', 2],
      ['GET', 1],
    ]);
    const fitted = fitRequestStatsRow({
      ...rows[0],
      method: 'M-SEARCH-LONG',
      route: 'r'.repeat(300),
    });
    expect([fitted.method, fitted.route.length]).toEqual(['OTHER', 255]);
  });
});

describe('ConfiguredLocales', () => {
  it('answers from memory and reloads in the background once stale', async () => {
    let codes = ['en', 'fr-CA'];
    let loads = 0;
    const locales = new ConfiguredLocales(async () => {
      loads += 1;
      return codes;
    }, 1000);
    await locales.refresh(0);
    expect([locales.match('FR-ca', 10), locales.match('de', 10), loads]).toEqual([
      'fr-CA',
      null,
      1,
    ]);
    codes = ['de'];
    // Stale: this lookup still answers from the old list and starts one reload.
    expect(locales.match('de', 2000)).toBeNull();
    locales.match('de', 2001);
    await locales.refresh(2002);
    expect([locales.match('de', 2003), loads]).toEqual(['de', 2]);
  });

  it('reloads at once when told the list changed, also while a load is under way', async () => {
    let codes = ['en'];
    let release: () => void = () => undefined;
    const locales = new ConfiguredLocales(async () => {
      const now = codes;
      await new Promise<void>((resolve) => (release = resolve));
      return now;
    }, 60_000);
    const first = locales.refresh(0);
    codes = ['en', 'fr'];
    locales.invalidate(); // the load under way read the old list
    release();
    await first;
    expect(locales.match('fr', 1)).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(locales.match('fr', 2)).toBe('fr');
  });

  it('keeps the previous list when a reload fails', async () => {
    let fail = false;
    const locales = new ConfiguredLocales(async () => {
      if (fail) throw new Error('no database');
      return ['en'];
    }, 1000);
    await locales.refresh(0);
    fail = true;
    await locales.refresh(5000);
    expect(locales.match('en', 5001)).toBe('en');
  });
});
