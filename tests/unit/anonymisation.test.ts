import { cleanText } from '../../server/src/collection/clean-text';
import { classifyUserAgent } from '../../server/src/collection/user-agent';
import { samplePosition, utcDay, visitorHash } from '../../server/src/collection/visitor-hash';
import { parsePageUrl, referrerHost } from '../../server/src/collection/page-url';
import { cleanProps } from '../../server/src/collection/event-props';
import { describeContentRead } from '../../server/src/collection/content-read';

describe('visitor hash', () => {
  it('is 16 hex characters, stable for the same inputs and different with another salt', () => {
    const a = visitorHash('salt-1', 'example.com', '203.0.113.1', 'UA');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(visitorHash('salt-1', 'example.com', '203.0.113.1', 'UA')).toBe(a);
    expect(visitorHash('salt-2', 'example.com', '203.0.113.1', 'UA')).not.toBe(a);
    expect(visitorHash('salt-1', 'other.com', '203.0.113.1', 'UA')).not.toBe(a);
    // Field boundaries matter: ("ab", "c") and ("a", "bc") are different visitors.
    expect(visitorHash('s', 'ab', 'c', 'd')).not.toBe(visitorHash('s', 'a', 'bc', 'd'));
  });

  it('places visitors uniformly for sampling, and days are UTC', () => {
    const positions = Array.from({ length: 2000 }, (_, i) =>
      samplePosition(visitorHash('s', 'x', `10.0.${i >> 8}.${i & 255}`, 'UA'))
    );
    const below = positions.filter((p) => p < 0.25).length / positions.length;
    expect(below).toBeGreaterThan(0.2);
    expect(below).toBeLessThan(0.3);
    expect(utcDay(Date.UTC(2026, 10, 28, 23, 59, 59))).toBe('2026-11-28');
  });
});

describe('user agent classification', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'desktop',
      'Chrome',
      'Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'mobile',
      'Safari',
      'iOS',
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'tablet',
      'Safari',
      'iOS',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
      'desktop',
      'Firefox',
      'Linux',
    ],
  ])('%s', (ua, device, browser, os) => {
    expect(classifyUserAgent(ua)).toEqual({ bot: false, device, browser, os });
  });

  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
    'curl/8.5.0',
    '',
  ])('flags %j as a bot', (ua) => {
    expect(classifyUserAgent(ua).bot).toBe(true);
  });
});

describe('page URL and referrer', () => {
  it('keeps the path and utm_* only', () => {
    expect(
      parsePageUrl(
        'https://Example.com/a/b?id=7&utm_source=x&utm_medium=y&utm_campaign=z&utm_term=t#sec'
      )
    ).toEqual({
      host: 'example.com',
      path: '/a/b',
      utmSource: 'x',
      utmMedium: 'y',
      utmCampaign: 'z',
    });
    expect(parsePageUrl('https://example.com/#/route', { keepHash: true })?.path).toBe('/#/route');
    expect(parsePageUrl('/home', { base: 'https://example.com' })?.path).toBe('/home');
    expect(parsePageUrl('javascript:alert(1)')).toBeNull();
    expect(parsePageUrl('not a url')).toBeNull();
  });

  it('reduces a referrer to its host, and ignores the site itself', () => {
    expect(referrerHost('https://www.google.com/search?q=x', 'example.com')).toBe('google.com');
    expect(referrerHost('https://www.example.com/other', 'example.com')).toBeNull();
    expect(referrerHost('android-app://com.foo', 'example.com')).toBeNull();
    expect(referrerHost('', 'example.com')).toBeNull();
  });
});

describe('event props', () => {
  it('keeps scalars, drops lists and maps, and never touches the prototype', () => {
    const result = cleanProps(
      JSON.parse('{"plan":"pro","n":3,"ok":true,"list":[1],"obj":{},"__proto__":{"polluted":1}}')
    );
    expect(result).toEqual({ props: { plan: 'pro', n: 3, ok: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('enforces the limits', () => {
    expect(cleanProps({ ['k'.repeat(301)]: 'v' })).toEqual({
      error: 'props keys must be 1 to 300 bytes',
    });
    expect(cleanProps({ k: 'é'.repeat(1001) })).toEqual({
      error: 'props values must be at most 2000 bytes',
    });
    expect(cleanProps('not json')).toEqual({
      error: 'props must be an object or a JSON object string',
    });
  });
});

describe('Content API read classification', () => {
  const doc = { documentId: 'abc', locale: 'fr' };
  it.each([
    [
      'api::article.article.findOne',
      { data: doc },
      { kind: 'view', contentType: 'api::article.article', documentId: 'abc', locale: 'fr' },
    ],
    [
      'api::article.article.find',
      { data: [doc] },
      { kind: 'view', contentType: 'api::article.article', documentId: 'abc', locale: 'fr' },
    ],
    [
      'api::article.article.find',
      { data: [doc, doc] },
      { kind: 'list', contentType: 'api::article.article' },
    ],
    [
      'api::article.article.find',
      { data: [] },
      { kind: 'list', contentType: 'api::article.article' },
    ],
    [
      'api::homepage.homepage.find',
      { data: { documentId: 'h' } },
      { kind: 'view', contentType: 'api::homepage.homepage', documentId: 'h', locale: null },
    ],
    ['api::article.article.create', { data: doc }, null],
    ['plugin::upload.content-api.find', { data: [doc] }, null],
    ['api::article.article.findOne', 'a string body', null],
  ])('%s', (handler, body, expected) => {
    expect(describeContentRead(handler, body)).toEqual(expected);
  });
});

describe('stored text', () => {
  it('drops control characters and lone surrogates', () => {
    expect(cleanText('sign\u0000up\n')).toBe('signup');
    expect(cleanText('\uD800x\uDC00')).toBe('x');
    expect(cleanText('😀\uD83D')).toBe('😀');
    expect(cleanText('\u0000')).toBeNull();
    expect(cleanText('ok')).toBe('ok');
  });
});
