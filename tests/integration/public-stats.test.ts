import { adminSession, type AdminSession } from '../helpers/admin';
import { BROWSER_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';

const ARTICLE = 'api::article.article';
const PAGE = 'api::page.page';
const POPULAR = 'plugin::usage-analytics.popular.find';
const VIEWS = 'plugin::usage-analytics.views.findOne';

describe('Content API for frontends: /popular and /views, permissioned like any Content API route', () => {
  let app: TestApp;
  let admin: AdminSession;
  let published: string;
  let second: string;
  let page: string;
  let draft: string;
  let publicRoleId: number;
  let authenticatedRoleId: number;

  /** `count` tracker pageviews of an entry by `visitors` distinct visitors (round-robin). */
  async function pageviews(
    contentType: string,
    documentId: string,
    count: number,
    visitors: number,
    locale?: string
  ) {
    for (let i = 0; i < count; i += 1) {
      const res = await app
        .http()
        .post('/api/usage-analytics/track')
        .set({
          'x-forwarded-for': `198.51.100.${(i % visitors) + 1}`,
          'user-agent': BROWSER_UA,
          'content-type': 'text/plain',
        })
        .send(
          JSON.stringify({
            type: 'pageview',
            url: `https://site.example/${documentId}`,
            contentType,
            documentId,
            ...(locale ? { locale } : {}),
          })
        );
      expect(res.status).toBe(202);
    }
  }

  const permissions = () => app.strapi.db.query('plugin::users-permissions.permission');
  const grant = async (role: number, action: string) => {
    await permissions().create({ data: { action, role } });
  };
  const revoke = async (role: number, action: string) => {
    await permissions().delete({ where: { action, role } });
  };

  /** A Content API token made through the admin API, as Settings → API Tokens does. */
  async function apiToken(type: 'full-access' | 'read-only' | 'custom', actions: string[] = []) {
    const res = await app
      .http()
      .post('/admin/api-tokens')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({
        name: `token ${type} ${actions.join(' ')} ${Date.now()}`,
        type,
        lifespan: null,
        ...(type === 'custom' ? { permissions: actions } : {}),
      });
    expect(res.status).toBe(201);
    return res.body.data.accessKey as string;
  }

  const get = (url: string, bearer?: string) => {
    const req = app.http().get(url);
    return bearer ? req.set('Authorization', `Bearer ${bearer}`) : req;
  };
  const popularOf = (body: { data: Array<{ documentId: string; views: number }> }) =>
    body.data.map((e) => `${e.documentId}:${e.views}`);

  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
    admin = await adminSession(app, 'super-admin');
    const roles = app.strapi.db.query('plugin::users-permissions.role');
    publicRoleId = (await roles.findOne({ where: { type: 'public' } })).id;
    authenticatedRoleId = (await roles.findOne({ where: { type: 'authenticated' } })).id;

    published = await publishArticle(app, 'Most read story');
    second = await publishArticle(app, 'Second story');
    const drafted = await app.strapi
      .documents(ARTICLE)
      .create({ data: { title: 'Unpublished draft', slug: 'unpublished-draft' }, locale: 'en' });
    draft = drafted.documentId;
    const made = await app.strapi
      .documents(PAGE)
      .create({ data: { name: 'About us', path: '/about' } });
    page = made.documentId;

    await pageviews(ARTICLE, published, 5, 3, 'en');
    await pageviews(ARTICLE, second, 2, 2, 'en');
    await pageviews(PAGE, page, 4, 4);
    // The most viewed of all, but a draft: never shown by the Content API routes.
    await pageviews(ARTICLE, draft, 9, 3, 'en');
    await flushPlugin(app);
  });
  afterAll(() => app?.stop());

  it('lists its two actions under the plugin in Settings → Users & Permissions', async () => {
    const res = await app
      .http()
      .get('/users-permissions/permissions')
      .set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).toBe(200);
    const controllers = res.body.permissions['plugin::usage-analytics'].controllers;
    expect(Object.keys(controllers.popular)).toEqual(['find']);
    expect(Object.keys(controllers.views)).toEqual(['findOne']);
  });

  it('answers 403 to the Public role until it is granted, then the published entries it may find', async () => {
    expect((await get('/api/usage-analytics/popular')).status).toBe(403);
    expect((await get(`/api/usage-analytics/views/${ARTICLE}/${published}`)).status).toBe(403);

    await grant(publicRoleId, POPULAR);
    const popular = await get('/api/usage-analytics/popular');
    expect(popular.status).toBe(200);
    // The draft (9 views) is left out; the Public role may find articles and pages.
    expect(popularOf(popular.body)).toEqual([`${published}:5`, `${page}:4`, `${second}:2`]);
    expect(popular.body.data[0]).toEqual({
      contentType: ARTICLE,
      documentId: published,
      locale: 'en',
      title: 'Most read story',
      views: 5,
      visitors: 3,
    });
    expect(popular.body.meta).toMatchObject({ period: '7d', limit: 10, contentType: null });
    expect(popular.headers['cache-control']).toBe('public, max-age=60');
    // Totals only: nothing about a visitor (documentIds are random, so fields are checked by name).
    for (const entry of popular.body.data) {
      expect(Object.keys(entry).sort()).toEqual(
        ['contentType', 'documentId', 'locale', 'title', 'views', 'visitors'].sort()
      );
    }
    expect(JSON.stringify(popular.body)).not.toMatch(/198\.51\.|visitor_hash|user.?agent/i);

    // Still no per-entry route: each action is granted on its own.
    expect((await get(`/api/usage-analytics/views/${ARTICLE}/${published}`)).status).toBe(403);
    await grant(publicRoleId, VIEWS);
    const views = await get(`/api/usage-analytics/views/${ARTICLE}/${published}?period=30d`);
    expect([views.status, views.body.error?.message]).toEqual([200, undefined]);
    expect(views.body.data).toEqual({
      contentType: ARTICLE,
      documentId: published,
      locale: null,
      views: 5,
      visitors: 3,
    });
    expect(views.body.meta.period).toBe('30d');
    expect(views.headers['cache-control']).toBe('public, max-age=60');
    const pageViews = await get(`/api/usage-analytics/views/${PAGE}/${page}`);
    expect(pageViews.body.data).toMatchObject({ views: 4, visitors: 4 });
    // A draft is not found, whatever its views.
    expect((await get(`/api/usage-analytics/views/${ARTICLE}/${draft}`)).status).toBe(404);
  });

  it('filters, limits and validates', async () => {
    const articles = await get(`/api/usage-analytics/popular?contentType=${ARTICLE}&limit=1`);
    expect(popularOf(articles.body)).toEqual([`${published}:5`]);
    const pages = await get(`/api/usage-analytics/popular?contentType=${PAGE}&period=90d`);
    expect(popularOf(pages.body)).toEqual([`${page}:4`]);
    const fr = await get('/api/usage-analytics/popular?locale=fr');
    expect(fr.body.data).toEqual([]);
    for (const query of ['period=1y', 'limit=0', 'limit=51', 'contentType=article', 'foo=1']) {
      const res = await get(`/api/usage-analytics/popular?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
    }
  });

  it('leaves out the types the caller may not find, and does not reuse another caller’s answer', async () => {
    // Public loses `find` on pages: the page goes at once, although an answer with it is cached.
    await revoke(publicRoleId, `${PAGE}.find`);
    try {
      const popular = await get('/api/usage-analytics/popular');
      expect(popularOf(popular.body)).toEqual([`${published}:5`, `${second}:2`]);
      expect((await get(`/api/usage-analytics/popular?contentType=${PAGE}`)).status).toBe(403);
      expect((await get(`/api/usage-analytics/views/${PAGE}/${page}`)).status).toBe(403);
    } finally {
      await grant(publicRoleId, `${PAGE}.find`);
    }

    // A signed-in user of the Authenticated role: nothing until granted, then articles only.
    const registered = await app
      .http()
      .post('/api/auth/local/register')
      .send({ username: 'reader', email: 'reader@example.test', password: 'Reader-password-1' });
    expect(registered.status).toBe(200);
    const jwt = registered.body.jwt as string;
    expect((await get('/api/usage-analytics/popular', jwt)).status).toBe(403);
    await grant(authenticatedRoleId, POPULAR);
    await grant(authenticatedRoleId, `${ARTICLE}.find`);
    const mine = await get('/api/usage-analytics/popular', jwt);
    expect(mine.status).toBe(200);
    expect(popularOf(mine.body)).toEqual([`${published}:5`, `${second}:2`]);
    expect(mine.headers['cache-control']).toBe('private, no-store');
  });

  it('API tokens: full access and read-only may call both; a custom token only with the action', async () => {
    for (const type of ['full-access', 'read-only'] as const) {
      const token = await apiToken(type);
      const popular = await get('/api/usage-analytics/popular', token);
      expect([type, popular.status]).toEqual([type, 200]);
      expect(popularOf(popular.body)).toEqual([`${published}:5`, `${page}:4`, `${second}:2`]);
      expect(popular.headers['cache-control']).toBe('private, no-store');
      const views = await get(`/api/usage-analytics/views/${PAGE}/${page}`, token);
      expect([type, views.status, views.body.data?.views]).toEqual([type, 200, 4]);
    }

    const withAction = await apiToken('custom', [POPULAR, `${ARTICLE}.find`]);
    const allowed = await get('/api/usage-analytics/popular', withAction);
    expect(allowed.status).toBe(200);
    // The token may find articles, not pages.
    expect(popularOf(allowed.body)).toEqual([`${published}:5`, `${second}:2`]);
    expect(
      (await get(`/api/usage-analytics/views/${ARTICLE}/${published}`, withAction)).status
    ).toBe(403);

    const withoutAction = await apiToken('custom', [`${ARTICLE}.find`, `${ARTICLE}.findOne`]);
    expect((await get('/api/usage-analytics/popular', withoutAction)).status).toBe(403);
    expect(
      (await get(`/api/usage-analytics/views/${ARTICLE}/${published}`, withoutAction)).status
    ).toBe(403);
  });
});
