import type { Knex } from 'knex';
import { adminSession } from '../helpers/admin';
import { BOT_UA, BROWSER_UA, IPHONE_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { eventRows } from '../helpers/aggregates';

const ARTICLE = 'api::article.article';

describe('Content API reads become views', () => {
  let app: TestApp;
  let knex: Knex;
  let first: string;
  let second: string;

  const read = (url: string, ip: string, ua = BROWSER_UA, headers: Record<string, string> = {}) =>
    app
      .http()
      .get(url)
      .set({ 'user-agent': ua, 'x-forwarded-for': ip, ...headers });

  beforeAll(async () => {
    // Every case flushes when it wants its rows; a background flush between two reads (a loaded
    // machine) would legitimately split a merge, so it waits a minute here.
    app = await bootApp({
      env: { TRUST_PROXY: 'true' },
      pluginConfig: { flush: { intervalMs: 60_000 } },
    });
    knex = app.strapi.db.connection as unknown as Knex;
    first = await publishArticle(app, 'First story', { fr: 'Première histoire' });
    second = await publishArticle(app, 'Second story');
    const home = app.strapi.documents('api::homepage.homepage');
    const homepage = await home.create({ data: { headline: 'Hello' }, locale: 'en' });
    await home.publish({ documentId: homepage.documentId, locale: 'en' });
    await flushPlugin(app);
    await knex('ua_events').delete();
  });
  afterAll(() => app?.stop());

  it('records exactly the reads of one document, by anonymous visitor', async () => {
    // Three visitors read the first story four times; one reads it in French.
    for (const ip of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect((await read(`/api/articles/${first}`, ip)).status).toBe(200);
    }
    expect((await read(`/api/articles/${first}?locale=fr`, '203.0.113.2', IPHONE_UA)).status).toBe(
      200
    );
    // A lookup by slug that finds one document is a view of it.
    const bySlug = await read('/api/articles?filters[slug][$eq]=second-story', '203.0.113.4');
    expect(bySlug.body.data).toHaveLength(1);
    // A list is a list read of the content type, not a view.
    const list = await read('/api/articles', '203.0.113.4');
    expect(list.body.data).toHaveLength(2);
    // A single type read is a view of its one document.
    expect((await read('/api/homepage', '203.0.113.5')).status).toBe(200);

    // Not counted: bots, opt-outs, misses, and the admin panel.
    expect((await read(`/api/articles/${first}`, '203.0.113.6', BOT_UA)).status).toBe(200);
    expect(
      (await read(`/api/articles/${first}`, '203.0.113.7', BROWSER_UA, { dnt: '1' })).status
    ).toBe(200);
    expect(
      (await read(`/api/articles/${first}`, '203.0.113.8', BROWSER_UA, { 'sec-gpc': '1' })).status
    ).toBe(200);
    expect((await read('/api/articles/doesnotexist000000000000', '203.0.113.9')).status).toBe(404);
    const admin = await adminSession(app, 'super-admin');
    const cm = await app
      .http()
      .get(`/content-manager/collection-types/${ARTICLE}/${first}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .set('user-agent', BROWSER_UA);
    expect(cm.status).toBe(200);
    expect((await app.http().get('/admin/init').set('user-agent', BROWSER_UA)).status).toBe(200);

    await flushPlugin(app);
    const rows = await eventRows(knex)
      .select(
        'kind',
        'source',
        'content_type',
        'document_id',
        'locale',
        'path',
        'visitor_hash',
        'device',
        'browser',
        'os',
        'hits'
      )
      .orderBy('id');
    // A row stands for `hits` identical reads (same visitor, entry and minute): expand them.
    const summary = rows.flatMap((r) =>
      Array.from({ length: Number(r.hits) }, () => [
        r.kind,
        r.content_type,
        r.document_id,
        r.locale,
      ])
    );
    expect(summary).toEqual([
      ['api_read', ARTICLE, first, 'en'],
      ['api_read', ARTICLE, first, 'en'],
      ['api_read', ARTICLE, first, 'en'],
      ['api_read', ARTICLE, first, 'en'],
      ['api_read', ARTICLE, first, 'fr'],
      ['api_read', ARTICLE, second, 'en'],
      ['list_read', ARTICLE, null, null],
      ['api_read', 'api::homepage.homepage', expect.any(String), 'en'],
    ]);
    const firstReads = rows.filter((r) => r.document_id === first && r.locale === 'en');
    expect(new Set(firstReads.map((r) => r.visitor_hash)).size).toBe(3);
    const firstVisitor = firstReads.filter((r) => r.visitor_hash === firstReads[0].visitor_hash);
    expect(firstVisitor.reduce((sum, r) => sum + Number(r.hits), 0)).toBe(2);
    expect(rows[0]).toMatchObject({
      source: 'api',
      path: `/api/articles/${first}`,
      device: 'desktop',
      browser: 'Chrome',
      os: 'Windows',
    });
    expect(rows.find((r) => r.locale === 'fr')).toMatchObject({
      device: 'mobile',
      browser: 'Safari',
      os: 'iOS',
    });
    expect(rows.every((r) => /^[0-9a-f]{16}$/.test(r.visitor_hash))).toBe(true);

    const dropped = app.strapi.plugin('usage-analytics').service('event-pipeline').stats().dropped;
    expect(dropped).toMatchObject({ bot: 1, dnt: 2 });
  });

  it('keeps identical reads by one visitor within a minute as one row with a hit count', async () => {
    await knex('ua_events').delete();
    const minute = () => Math.floor(Date.now() / 60_000);
    const startMinute = minute();
    for (let i = 0; i < 5; i += 1) {
      expect((await read(`/api/articles/${second}`, '203.0.113.20')).status).toBe(200);
    }
    const endMinute = minute();
    expect((await read(`/api/articles/${first}`, '203.0.113.20')).status).toBe(200);
    await flushPlugin(app);
    const rows = await eventRows(knex)
      .where({ kind: 'api_read' })
      .orderBy('id')
      .select('document_id', 'hits');
    const ofSecond = rows.filter((r) => r.document_id === second).map((r) => Number(r.hits));
    // One row — or one per minute, if the five reads straddled a minute boundary.
    expect(ofSecond.length).toBe(endMinute - startMinute + 1);
    expect(ofSecond.reduce((a, b) => a + b, 0)).toBe(5);
    expect(rows.filter((r) => r.document_id === first).map((r) => Number(r.hits))).toEqual([1]);
  });

  it('follows trackApiReads and excludeContentTypes', async () => {
    const config = app.strapi.config.get('plugin::usage-analytics') as Record<string, unknown>;
    await knex('ua_events').delete();
    app.strapi.config.set('plugin::usage-analytics.excludeContentTypes', [ARTICLE]);
    await read(`/api/articles/${first}`, '203.0.113.10');
    await read('/api/homepage', '203.0.113.10');
    app.strapi.config.set('plugin::usage-analytics.excludeContentTypes', []);
    app.strapi.config.set('plugin::usage-analytics.trackApiReads', false);
    await read(`/api/articles/${first}`, '203.0.113.10');
    app.strapi.config.set('plugin::usage-analytics', config);
    app.strapi.config.set('plugin::usage-analytics.trackApiReads', true);
    await flushPlugin(app);
    const rows = await eventRows(knex).select('content_type');
    expect(rows.map((r) => r.content_type)).toEqual(['api::homepage.homepage']);
  });
});
