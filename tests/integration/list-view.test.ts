import type { Knex } from 'knex';
import type { ContentTableResponse } from '../../shared/contracts/insights';
import type {
  ListViewConfigResponse,
  ListViewViewsResponse,
} from '../../shared/contracts/list-view';
import { PERMISSIONS } from '../../shared/permissions';
import { adminSession, type AdminSession } from '../helpers/admin';
import { BROWSER_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { daysAgo, todayStart } from '../helpers/days';
import { DAY_MS } from '../../shared/time';
import { insertContentRows } from '../helpers/aggregates';

// The Content Manager list view's "Views (30 d)" column: its admin routes, their permissions,
// and numbers that equal the dashboard's content table over the same 30 days.

const today = todayStart();
const day = (back: number) => daysAgo(back);
const LAST_30_DAYS = `from=${day(29)}&to=${day(0)}`;
const ARTICLE = 'api::article.article';

describe('list view column: views of a page of entries', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  let reader: AdminSession;
  const ids: Record<string, string> = {};

  const get = (path: string, token = admin.token) =>
    app.http().get(`/usage-analytics${path}`).set('Authorization', `Bearer ${token}`);
  const views = (documentIds: string[], extra = '', token = admin.token) =>
    get(
      `/list-view/views?contentType=${ARTICLE}&documentIds=${documentIds.join(',')}${extra}`,
      token
    );

  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
    reader = await adminSession(app, { actions: [PERMISSIONS.read] });
    ids.popular = await publishArticle(app, 'Popular', { fr: 'Populaire' });
    ids.old = await publishArticle(app, 'Old news');
    ids.never = await publishArticle(app, 'Never read');
    await flushPlugin(app);
    const row = (
      doc: string,
      back: number,
      pageviews: number,
      apiReads: number,
      locale = 'en'
    ) => ({
      day: day(back),
      content_type: ARTICLE,
      document_id: ids[doc],
      locale,
      pageviews,
      api_reads: apiReads,
      visitors: 1,
      engagements: 0,
      engaged_ms: 0,
      events: 0,
    });
    // Stored days: 29 days back is the range's first day, 30 back is outside it.
    await insertContentRows(knex, 'ua_content_daily', [
      row('popular', 29, 5, 1),
      row('popular', 3, 7, 0),
      row('popular', 3, 4, 0, 'fr'),
      row('popular', 30, 100, 0),
      row('old', 45, 50, 0),
      row('old', 12, 2, 0),
    ]);
    // Today's reads, not rolled up yet (the live tail): two English reads, one French.
    const headers = { 'x-forwarded-for': '198.51.100.7', 'user-agent': BROWSER_UA };
    await app.http().get(`/api/articles/${ids.popular}`).set(headers);
    await app.http().get(`/api/articles/${ids.popular}`).set(headers);
    await app.http().get(`/api/articles/${ids.popular}?locale=fr`).set(headers);
    await flushPlugin(app);
  });
  afterAll(() => app?.stop());

  it('answers the views of the 30 days of each asked entry, locales summed', async () => {
    const res = await views([ids.popular, ids.old, ids.never]);
    expect(res.status).toBe(200);
    const data = (res.body as ListViewViewsResponse).data;
    // popular: 5 + 1 + 7 (en) + 4 (fr) stored, 2 + 1 read today; the 100 of day 30 is outside.
    expect(data.views).toEqual({ [ids.popular]: 20, [ids.old]: 2, [ids.never]: 0 });
    expect(data.range).toEqual({
      from: `${day(29)}T00:00:00.000Z`,
      to: new Date(today + DAY_MS).toISOString(),
    });
  });

  it('counts one locale when the list shows one', async () => {
    const en = (await views([ids.popular, ids.old], '&locale=en')).body.data.views;
    const fr = (await views([ids.popular, ids.old], '&locale=fr')).body.data.views;
    expect(en).toEqual({ [ids.popular]: 15, [ids.old]: 2 });
    expect(fr).toEqual({ [ids.popular]: 5, [ids.old]: 0 });
  });

  it('gives the numbers of the dashboard content table over the last 30 days', async () => {
    for (const locale of ['en', 'fr']) {
      const table = await get(
        `/content-table?${LAST_30_DAYS}&contentType=${ARTICLE}&locale=${locale}`
      );
      expect(table.status).toBe(200);
      const rows = (table.body as ContentTableResponse).data.rows;
      const column = (await views([ids.popular, ids.old], `&locale=${locale}`)).body.data.views;
      for (const [doc, count] of Object.entries(column as Record<string, number>)) {
        const onDashboard = rows.find((r) => r.documentId === doc)?.views ?? 0;
        expect({ doc, locale, views: count }).toEqual({ doc, locale, views: onDashboard });
      }
    }
  });

  it('stays the same after the rollup', async () => {
    const before = (await views([ids.popular, ids.old, ids.never])).body.data.views;
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();
    expect((await views([ids.popular, ids.old, ids.never])).body.data.views).toEqual(before);
  });

  it('requires the read permission', async () => {
    const editor = await adminSession(app, { code: 'strapi-editor' });
    const noRead = await adminSession(app, {
      actions: [PERMISSIONS.export, PERMISSIONS.settings],
    });
    const anonymous = await app
      .http()
      .get(`/usage-analytics/list-view/views?contentType=${ARTICLE}&documentIds=${ids.popular}`);
    expect(anonymous.status).toBe(401);
    for (const who of [editor, noRead]) {
      expect((await views([ids.popular], '', who.token)).status).toBe(403);
      expect((await get('/list-view/config', who.token)).status).toBe(403);
    }
    const allowed = await views([ids.popular], '', reader.token);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.views).toEqual({ [ids.popular]: 20 });
  });

  it('refuses bad queries with a reason', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `doc${i}`);
    const cases: Array<[string, RegExp]> = [
      [`/list-view/views?documentIds=${ids.popular}`, /contentType/],
      [`/list-view/views?contentType=${ARTICLE}`, /documentIds/],
      [`/list-view/views?contentType=${ARTICLE}&documentIds=`, /at least one/],
      [`/list-view/views?contentType=${ARTICLE}&documentIds=${tooMany.join(',')}`, /at most 100/],
      [`/list-view/views?contentType=${ARTICLE}&documentIds=a%20b`, /documentIds/],
      [`/list-view/views?contentType=api::nothing.nothing&documentIds=x`, /no content type/],
      [`/list-view/views?contentType=${ARTICLE}&documentIds=x&locale=!!`, /locale/],
    ];
    for (const [path, reason] of cases) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toMatch(reason);
    }
  });

  it('lists the counted collection types and follows the settings page switch', async () => {
    const config = async () =>
      ((await get('/list-view/config', reader.token)).body as ListViewConfigResponse).data;
    const first = await config();
    expect(first.enabled).toBe(true);
    expect(first.contentTypes).toContain(ARTICLE);
    // Single types have no list view; the plugin's and Strapi's own types are not counted.
    expect(first.contentTypes.every((uid) => uid.startsWith('api::'))).toBe(true);
    expect(first.contentTypes).not.toContain('api::homepage.homepage');

    // A write names the version of the settings it was read at.
    const put = async (body: object) => {
      const read = await app
        .http()
        .get('/usage-analytics/settings')
        .set('Authorization', `Bearer ${admin.token}`);
      return app
        .http()
        .put('/usage-analytics/settings')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ ...body, version: read.body.data.version });
    };
    expect((await put({ listViewColumn: false, excludeContentTypes: [ARTICLE] })).status).toBe(200);
    const off = await config();
    expect(off.enabled).toBe(false);
    expect(off.contentTypes).not.toContain(ARTICLE);
    expect((await put({ listViewColumn: 'yes' })).status).toBe(400);
    expect((await put({ listViewColumn: null, excludeContentTypes: null })).status).toBe(200);
    expect(await config()).toEqual(first);
  });
});
