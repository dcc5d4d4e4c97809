import type { Knex } from 'knex';
import { PERMISSIONS } from '../../shared/permissions';
import { insertRows } from '../../server/src/collection/row-writer';
import { rawEventRow } from '../helpers/aggregates';
import { adminSession, type AdminSession } from '../helpers/admin';
import { BROWSER_UA, IPHONE_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS, isoDay } from '../../shared/time';

describe('stats API: fresh, exact, validated, guarded', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  let story: string;
  let other: string;

  const get = (path: string, token = admin.token) =>
    app.http().get(`/usage-analytics${path}`).set('Authorization', `Bearer ${token}`);
  /** A Content API read of an article at `ts`, written as a flush would (pending its rollup). */
  const apiRead = (documentId: string, ts: number, visitor: string) =>
    insertRows(knex, 'ua_events', [
      rawEventRow({
        ts,
        kind: 'api_read',
        source: 'api',
        path: `/api/articles/${documentId}`,
        content_type: 'api::article.article',
        document_id: documentId,
        visitor_hash: visitor.repeat(32),
      }),
    ]);

  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
    story = await publishArticle(app, 'Most read story');
    other = await publishArticle(app, 'Less read story');
    await flushPlugin(app);
    // Start from a rolled-up state so the traffic below is the not-yet-rolled-up tail.
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    for (let v = 1; v <= 4; v += 1) {
      const headers = {
        'x-forwarded-for': `198.51.100.${v}`,
        'user-agent': v % 2 ? BROWSER_UA : IPHONE_UA,
      };
      await app.http().get(`/api/articles/${story}`).set(headers);
      if (v === 1) await app.http().get(`/api/articles/${other}`).set(headers);
      await app
        .http()
        .post('/api/usage-analytics/track')
        .set({ ...headers, 'content-type': 'text/plain' })
        .send(
          JSON.stringify({
            type: 'pageview',
            url: `https://site.example/blog?utm_campaign=launch`,
            referrer: 'https://duckduckgo.com/',
            contentType: 'api::article.article',
            documentId: story,
            locale: 'en',
          })
        );
    }
    await app
      .http()
      .post('/api/usage-analytics/track')
      .set({
        'x-forwarded-for': '198.51.100.1',
        'user-agent': BROWSER_UA,
        'content-type': 'text/plain',
      })
      .send(JSON.stringify({ type: 'event', url: 'https://site.example/blog', name: 'share' }));
    await flushPlugin(app);
  });
  afterAll(() => app?.stop());

  it('shows events before any rollup ran, and the same numbers once after it', async () => {
    const before = await get('/overview');
    expect(before.status).toBe(200);
    const t = before.body.data.totals;
    expect(t).toMatchObject({
      pageviews: 9,
      trackerPageviews: 4,
      apiReads: 5,
      visitors: 4,
      events: 1,
    });
    expect(t.sessions).toBe(4);
    expect(before.body.data.topContent[0]).toMatchObject({
      contentType: 'api::article.article',
      documentId: story,
      locale: 'en',
      title: 'Most read story',
      views: 8,
      trackerPageviews: 4,
      apiReads: 4,
      visitors: 4,
    });
    expect(before.body.data.topContent[1]).toMatchObject({
      documentId: other,
      views: 1,
      title: 'Less read story',
    });
    expect(before.body.data.topReferrers).toEqual([
      { value: 'duckduckgo.com', pageviews: 4, visitors: 4 },
    ]);
    expect(before.body.data.topCampaigns).toEqual([{ value: 'launch', pageviews: 4, visitors: 4 }]);
    expect(before.body.data.events).toEqual([{ name: 'share', count: 1, visitors: 1 }]);
    const seriesTotal = before.body.data.series.reduce(
      (a: number, p: { pageviews: number }) => a + p.pageviews,
      0
    );
    expect(seriesTotal).toBe(9);
    expect(before.body.data.series).toHaveLength(7);

    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    const after = await get('/overview');
    const { generatedAt: _a, rolledUpAt, ...restAfter } = after.body.data;
    const { generatedAt: _b, rolledUpAt: _c, ...restBefore } = before.body.data;
    expect(restAfter).toEqual(restBefore);
    expect(typeof rolledUpAt).toBe('string');
  });

  it('filters by content type and locale, with site-wide session figures left out', async () => {
    const res = await get('/overview?contentType=api::article.article&locale=en');
    expect(res.body.data.totals).toMatchObject({
      pageviews: 9,
      visitors: 5,
      sessions: null,
      bounceRate: null,
    });
    const fr = await get('/overview?contentType=api::article.article&locale=fr');
    expect(fr.body.data.totals.pageviews).toBe(0);
  });

  it('answers per-entry stats with a series and the editorial activity', async () => {
    const res = await get(`/content/api::article.article/${story}?interval=day`);
    expect(res.status).toBe(200);
    expect(res.body.data.entry).toMatchObject({ documentId: story, title: 'Most read story' });
    expect(res.body.data.totals).toMatchObject({
      views: 8,
      visitors: 4,
      trackerPageviews: 4,
      apiReads: 4,
    });
    expect(res.body.data.series.reduce((a: number, p: { views: number }) => a + p.views, 0)).toBe(
      8
    );
    expect(res.body.data.editorial.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'publish',
    ]);
  });

  it('answers the last 30 minutes in real time', async () => {
    const res = await get('/realtime');
    expect(res.body.data).toMatchObject({ visitors: 4, pageviews: 9 });
    expect(res.body.data.topContent[0]).toMatchObject({
      documentId: story,
      views: 8,
      title: 'Most read story',
    });
  });

  it.each([
    ['/overview?from=yesterday', 'from'],
    ['/overview?from=2026-02-30&to=2026-03-10', 'from: 2026-02-30 is not a real date'],
    ['/overview?interval=minute', 'interval'],
    ['/overview?contentType=article', 'contentType'],
    ['/overview?from=2026-05-01&to=2026-04-01', 'from must be before to'],
    ['/overview?from=2020-01-01&to=2026-01-01', 'at most 800 days'],
    ['/overview?interval=hour&from=2026-01-01&to=2026-03-01', 'interval=hour'],
    ['/overview?limit=5', 'limit'],
    ['/content/api::nope.nope/abc', 'no content type'],
    ['/content/api::article.article/bad%20id', 'documentId'],
  ])('answers 400 with a reason to %s', async (path, reason) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(reason);
  });

  it('requires the read permission on every stats route', async () => {
    const editor = await adminSession(app, { code: 'strapi-editor' });
    const reader = await adminSession(app, { actions: [PERMISSIONS.read] });
    for (const path of ['/overview', `/content/api::article.article/${story}`, '/realtime']) {
      expect([path, (await app.http().get(`/usage-analytics${path}`)).status]).toEqual([path, 401]);
      expect([path, (await get(path, editor.token)).status]).toEqual([path, 403]);
      expect([path, (await get(path, reader.token)).status]).toEqual([path, 200]);
    }
  });

  it('never reads raw events for days already rolled up', async () => {
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    // Wipe the raw rows: rolled-up days must still answer from their aggregates.
    await knex('ua_events').delete();
    const res = await get('/overview');
    expect(res.body.data.totals).toMatchObject({ pageviews: 9, visitors: 4 });
  });

  it('keeps closed days in memory and sees every change to them', async () => {
    const day = (ms: number) => isoDay(ms);
    const yesterday = day(Date.now() - DAY_MS);
    const range = `/overview?from=${day(Date.now() - 3 * DAY_MS)}&to=${yesterday}`;
    const late = (visitor: string) => apiRead(other, Date.parse(`${yesterday}T10:00:00Z`), visitor);
    const viewsOf = async () => {
      const res = await get(range);
      expect(res.status).toBe(200);
      const entry = res.body.data.topContent.find(
        (r: { documentId: string }) => r.documentId === other
      );
      return { site: res.body.data.totals.pageviews, entry: entry?.views ?? 0 };
    };
    await late('1');
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    const first = await viewsOf();
    expect(first).toEqual({ site: 1, entry: 1 });
    // Served again from memory, unchanged.
    expect(await viewsOf()).toEqual(first);
    // A late event for a closed day: counted from the live tail, then from its rollup, once.
    await late('2');
    expect(await viewsOf()).toEqual({ site: 2, entry: 2 });
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    expect(await viewsOf()).toEqual({ site: 2, entry: 2 });
    // Retention deleting the oldest aggregate day is seen too.
    const oldest = day(Date.now() - 3 * DAY_MS);
    await knex('ua_site_daily').insert({
      day: oldest,
      pageviews: 0,
      api_reads: 5,
      visitors: 5,
      sessions: 5,
      bounces: 5,
      engaged_ms: 0,
      events: 0,
    });
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    const withOld = await viewsOf();
    await knex('ua_site_daily').where({ day: oldest }).delete();
    expect((await viewsOf()).site).toBe(withOld.site - 5);
  });

  it('ranks over the months of a long range and sees a late event in any of them', async () => {
    const day = (ms: number) => isoDay(ms);
    // 120 to 2 days ago: read in parts (its first month, the months between, its last month).
    const range = `/overview?from=${day(Date.now() - 120 * DAY_MS)}&to=${day(Date.now() - 2 * DAY_MS)}`;
    const read = (documentId: string, daysAgo: number, visitor: string) =>
      apiRead(documentId, Date.parse(`${day(Date.now() - daysAgo * DAY_MS)}T12:00:00Z`), visitor);
    const viewsOf = async () => {
      const res = await get(range);
      expect(res.status).toBe(200);
      const views = (documentId: string) =>
        res.body.data.topContent.find((r: { documentId: string }) => r.documentId === documentId)
          ?.views ?? 0;
      return { site: res.body.data.totals.pageviews, story: views(story), other: views(other) };
    };
    await read(story, 100, 'a');
    await read(story, 70, 'a');
    await read(story, 3, 'b');
    await read(other, 70, 'c');
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    expect(await viewsOf()).toEqual({ site: 4, story: 3, other: 1 });
    expect(await viewsOf()).toEqual({ site: 4, story: 3, other: 1 });
    // Late events in the months between and in the first month: from the tail, then rolled up.
    await read(other, 70, 'd');
    await read(other, 110, 'd');
    expect(await viewsOf()).toEqual({ site: 6, story: 3, other: 3 });
    // The same tail is read from memory; one more flush makes a new tail.
    expect(await viewsOf()).toEqual({ site: 6, story: 3, other: 3 });
    await read(story, 100, 'e');
    expect(await viewsOf()).toEqual({ site: 7, story: 4, other: 3 });
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    expect(await viewsOf()).toEqual({ site: 7, story: 4, other: 3 });
    // Once more from memory, now that the rollup is done.
    expect(await viewsOf()).toEqual({ site: 7, story: 4, other: 3 });
  });
});
