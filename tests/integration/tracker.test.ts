import type { Knex } from 'knex';
import { DROPPED_HEADER } from '../../shared/contracts/track';
import { BOT_UA, BROWSER_UA, countRows, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { eventRows } from '../helpers/aggregates';

describe('first-party tracker endpoint', () => {
  let app: TestApp;
  let knex: Knex;
  let article: string;

  const track = (body: unknown, ip = '198.51.100.1', headers: Record<string, string> = {}) =>
    app
      .http()
      .post('/api/usage-analytics/track')
      .set({
        'content-type': 'text/plain',
        'user-agent': BROWSER_UA,
        'x-forwarded-for': ip,
        ...headers,
      })
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
    knex = app.strapi.db.connection as unknown as Knex;
    article = await publishArticle(app, 'Tracked story');
  });
  afterAll(() => app?.stop());
  beforeEach(async () => {
    await flushPlugin(app);
    await knex('ua_events').delete();
  });

  it('serves the tracker script, small and cacheable', async () => {
    const res = await app.http().get('/api/usage-analytics/script.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('max-age=86400');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text).toContain('usageAnalytics');
    const again = await app
      .http()
      .get('/api/usage-analytics/script.js')
      .set('if-none-match', res.headers.etag);
    expect(again.status).toBe(304);
  });

  it('stores a pageview, its engagement and a custom event tied to the entry', async () => {
    const entry = { contentType: 'api::article.article', documentId: article, locale: 'en' };
    const url =
      'https://www.example.com/blog/tracked-story?utm_source=newsletter&utm_medium=email&utm_campaign=autumn&session=secret#top';
    const pageview = await track({
      type: 'pageview',
      url,
      referrer: 'https://www.google.com/search?q=strapi',
      ...entry,
    });
    expect(pageview.status).toBe(202);
    expect(pageview.headers[DROPPED_HEADER]).toBeUndefined();
    expect(
      (await track({ type: 'engagement', url, engagedMs: 42_000, scrollDepth: 85, ...entry }))
        .status
    ).toBe(202);
    expect(
      (
        await track({
          type: 'event',
          url,
          name: 'signup',
          props: { plan: 'pro', seats: 3, list: [1] },
          ...entry,
        })
      ).status
    ).toBe(202);
    // Navigation inside the site is not a referral.
    expect(
      (await track({ type: 'pageview', url: 'https://www.example.com/about', referrer: url }))
        .status
    ).toBe(202);

    await flushPlugin(app);
    const rows = await eventRows(knex).orderBy('id');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      kind: 'pageview',
      source: 'tracker',
      content_type: 'api::article.article',
      document_id: article,
      locale: 'en',
      path: '/blog/tracked-story',
      referrer_host: 'google.com',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'autumn',
      device: 'desktop',
      browser: 'Chrome',
      os: 'Windows',
      event_name: null,
    });
    expect(rows[1]).toMatchObject({ kind: 'engagement', engaged_ms: 42_000, scroll_depth: 85 });
    expect(rows[2]).toMatchObject({ kind: 'event', event_name: 'signup' });
    expect(JSON.parse(rows[2].props)).toEqual({ plan: 'pro', seats: 3 });
    expect(rows[3]).toMatchObject({ kind: 'pageview', path: '/about', referrer_host: null });
    expect(new Set(rows.map((r) => r.visitor_hash)).size).toBe(1);
  });

  it.each([
    ['not JSON', '{"type":', 'body is not valid JSON'],
    ['an empty body', '', 'body is empty'],
    ['an unknown type', { type: 'click', url: 'https://a.example/' }, 'type'],
    ['a missing url', { type: 'pageview' }, 'url'],
    ['a data: URL', { type: 'pageview', url: 'data:text/html,hi' }, 'url'],
    ['an unknown key', { type: 'pageview', url: 'https://a.example/', ip: '1.2.3.4' }, 'ip'],
    ['an event without a name', { type: 'event', url: 'https://a.example/' }, 'name'],
    [
      'a bad content type',
      { type: 'pageview', url: 'https://a.example/', contentType: 'article', documentId: 'x' },
      'contentType',
    ],
    [
      'an unknown content type',
      {
        type: 'pageview',
        url: 'https://a.example/',
        contentType: 'api::nope.nope',
        documentId: 'x',
      },
      'no content type "api::nope.nope"',
    ],
    [
      '31 props',
      {
        type: 'event',
        name: 'x',
        url: 'https://a.example/',
        props: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])),
      },
      'at most 30 pairs',
    ],
    [
      'a negative engagement',
      { type: 'engagement', url: 'https://a.example/', engagedMs: -5 },
      'engagedMs',
    ],
  ])('answers 400 with a reason for %s', async (_label, body, reason) => {
    const res = await track(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(reason);
    await flushPlugin(app);
    expect(await countRows(app, 'ua_events')).toBe(0);
  });

  it('answers 413 for a body over 8 KB', async () => {
    const res = await track({ type: 'pageview', url: `https://a.example/${'x'.repeat(9000)}` });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('8192 bytes');
  });

  it('accepts but drops bots and opted-out visitors, saying why', async () => {
    const body = { type: 'pageview', url: 'https://a.example/' };
    const bot = await track(body, '198.51.100.2', { 'user-agent': BOT_UA });
    expect([bot.status, bot.headers[DROPPED_HEADER]]).toEqual([202, 'bot']);
    const dnt = await track(body, '198.51.100.3', { dnt: '1' });
    expect([dnt.status, dnt.headers[DROPPED_HEADER]]).toEqual([202, 'dnt']);
    const gpc = await track(body, '198.51.100.3', { 'sec-gpc': '1' });
    expect([gpc.status, gpc.headers[DROPPED_HEADER]]).toEqual([202, 'dnt']);
    await flushPlugin(app);
    expect(await countRows(app, 'ua_events')).toBe(0);
  });

  it('rate-limits one visitor without affecting others', async () => {
    app.strapi.config.set('plugin::usage-analytics.rateLimit.perVisitorPerMinute', 5);
    try {
      const body = { type: 'pageview', url: 'https://a.example/' };
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1) statuses.push((await track(body, '198.51.100.50')).status);
      const other = await track(body, '198.51.100.51');
      // The window is one minute; a test running across a minute boundary gets a fresh window.
      expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(5);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      expect(other.status).toBe(202);
    } finally {
      app.strapi.config.set('plugin::usage-analytics.rateLimit.perVisitorPerMinute', 120);
    }
  });
});
