import type { Knex } from 'knex';
import { PERMISSIONS } from '../../shared/permissions';
import { insertRows } from '../../server/src/collection/row-writer';
import { rawEventRow } from '../helpers/aggregates';
import { adminSession, type AdminSession } from '../helpers/admin';
import { publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';

// Entry titles on the dashboard are Content Manager data: an admin sees the title of an entry
// only where the Content Manager would show it to them, and its documentId otherwise.

const ARTICLE = 'api::article.article';
const PAGE = 'api::page.page';
const CM_READ = 'plugin::content-manager.explorer.read';

interface Titled {
  contentType: string;
  documentId: string;
  title: string | null;
}

describe('entry titles follow the Content Manager permissions', () => {
  let app: TestApp;
  let knex: Knex;
  let article: string;
  let page: string;
  let secret: string;
  const sessions: Record<'pluginOnly' | 'articles' | 'superAdmin', AdminSession> = {} as never;

  const get = (path: string, session: AdminSession) =>
    app.http().get(`/usage-analytics${path}`).set('Authorization', `Bearer ${session.token}`);
  /** Title shown per entry, in the overview's top content, for this admin. */
  const titlesIn = (rows: Titled[]) => Object.fromEntries(rows.map((r) => [r.documentId, r.title]));

  beforeAll(async () => {
    app = await bootApp();
    knex = app.strapi.db.connection as unknown as Knex;
    article = await publishArticle(app, 'Published headline');
    // Edited since publication: the Content Manager lists the draft's title.
    await app.strapi.documents(ARTICLE).update({
      documentId: article,
      locale: 'en',
      data: { title: 'Draft headline' },
    });
    // Never published.
    secret = (
      await app.strapi.documents(ARTICLE).create({
        data: { title: 'Unannounced merger', slug: 'unannounced-merger', body: 'x' },
        locale: 'en',
      })
    ).documentId;
    page = (await app.strapi.documents(PAGE).create({ data: { name: 'About us', path: '/about' } }))
      .documentId;

    const now = Date.now();
    const view = (contentType: string, documentId: string, visitor: string) =>
      rawEventRow({
        ts: now - 60_000,
        kind: 'pageview',
        content_type: contentType,
        document_id: documentId,
        locale: contentType === PAGE ? null : 'en',
        path: `/${documentId}`,
        visitor_hash: visitor.repeat(32),
      });
    await insertRows(knex, 'ua_events', [
      view(ARTICLE, article, 'a'),
      view(ARTICLE, article, 'b'),
      view(ARTICLE, article, 'c'),
      view(ARTICLE, secret, 'a'),
      view(ARTICLE, secret, 'b'),
      view(PAGE, page, 'a'),
    ]);

    const actions = [PERMISSIONS.read, PERMISSIONS.export];
    sessions.pluginOnly = await adminSession(app, { actions });
    sessions.articles = await adminSession(app, {
      actions,
      permissions: [
        {
          action: CM_READ,
          subject: ARTICLE,
          properties: { fields: ['title', 'slug', 'body'], locales: ['en', 'fr'] },
        },
      ],
    });
    sessions.superAdmin = await adminSession(app, 'super-admin');
  });
  afterAll(() => app?.stop());

  it('a role with the plugin read but no Content Manager read gets documentIds, no titles', async () => {
    const overview = await get('/overview', sessions.pluginOnly);
    expect(overview.status).toBe(200);
    expect(titlesIn(overview.body.data.topContent)).toEqual({
      [article]: null,
      [secret]: null,
      [page]: null,
    });
    const realtime = await get('/realtime', sessions.pluginOnly);
    expect(titlesIn(realtime.body.data.topContent)).toEqual({
      [article]: null,
      [secret]: null,
      [page]: null,
    });
    const table = await get('/content-table', sessions.pluginOnly);
    expect(titlesIn(table.body.data.rows)).toEqual({
      [article]: null,
      [secret]: null,
      [page]: null,
    });
    const entry = await get(`/content/${ARTICLE}/${article}`, sessions.pluginOnly);
    expect(entry.body.data.entry).toMatchObject({ documentId: article, title: null });

    const csv = await get('/export/content.csv', sessions.pluginOnly);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(article);
    for (const title of ['Draft headline', 'Published headline', 'Unannounced merger', 'About us'])
      expect(csv.text).not.toContain(title);
  });

  it('with Content Manager read on articles: article titles (as the Content Manager lists them), no page title', async () => {
    const expected = { [article]: 'Draft headline', [secret]: 'Unannounced merger', [page]: null };
    const overview = await get('/overview', sessions.articles);
    expect(titlesIn(overview.body.data.topContent)).toEqual(expected);
    const table = await get('/content-table', sessions.articles);
    expect(titlesIn(table.body.data.rows)).toEqual(expected);
    const csv = await get('/export/content.csv', sessions.articles);
    expect(csv.text).toContain('Draft headline');
    expect(csv.text).not.toContain('About us');
  });

  it('the super admin gets every title', async () => {
    const overview = await get('/overview', sessions.superAdmin);
    expect(titlesIn(overview.body.data.topContent)).toEqual({
      [article]: 'Draft headline',
      [secret]: 'Unannounced merger',
      [page]: 'About us',
    });
  });
});
