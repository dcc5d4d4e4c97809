import type { Knex } from 'knex';
import { flushPlugin } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';

const ARTICLE = 'api::article.article';

describe('editorial activity from the document service', () => {
  let app: TestApp;
  let knex: Knex;
  beforeAll(async () => {
    app = await bootApp();
    knex = app.strapi.db.connection as unknown as Knex;
  });
  afterAll(() => app?.stop());

  it('records each action per entry and locale, and leaves the document untouched', async () => {
    await flushPlugin(app);
    await knex('ua_editorial').delete();
    const articles = app.strapi.documents(ARTICLE);
    const doc = await articles.create({ data: { title: 'Edited', slug: 'edited' }, locale: 'en' });
    const id = doc.documentId;
    await articles.update({ documentId: id, locale: 'en', data: { title: 'Edited twice' } });
    await articles.update({
      documentId: id,
      locale: 'fr',
      data: { title: 'Modifié', slug: 'modifie' },
    });
    await articles.publish({ documentId: id, locale: 'en' });
    // A published entry that was not changed since is not "Modified".
    const published = await articles.findOne({ documentId: id, locale: 'en', status: 'published' });
    const draft = await articles.findOne({ documentId: id, locale: 'en', status: 'draft' });
    expect(published?.title).toBe('Edited twice');
    expect(draft?.updatedAt).toEqual(published?.updatedAt);
    await articles.update({ documentId: id, locale: 'en', data: { title: 'Edited thrice' } });
    await articles.discardDraft({ documentId: id, locale: 'en' });
    await articles.unpublish({ documentId: id, locale: 'en' });
    await articles.delete({ documentId: id, locale: '*' });
    // Reads and plugin-internal content types are not editorial activity.
    await app.strapi.documents('api::page.page').findMany({});
    await app.strapi.documents('plugin::users-permissions.role').findMany({});

    await flushPlugin(app);
    const rows = await knex('ua_editorial').orderBy('id');
    expect(rows.map((r) => [r.action, r.content_type, r.document_id, r.locale])).toEqual([
      ['create', ARTICLE, id, 'en'],
      ['update', ARTICLE, id, 'en'],
      ['update', ARTICLE, id, 'fr'],
      ['publish', ARTICLE, id, 'en'],
      ['update', ARTICLE, id, 'en'],
      ['discardDraft', ARTICLE, id, 'en'],
      ['unpublish', ARTICLE, id, 'en'],
      ['delete', ARTICLE, id, null],
    ]);
    expect(Object.keys(rows[0]).sort()).toEqual([
      'action',
      'batch',
      'content_type',
      'document_id',
      'id',
      'locale',
      'ts',
    ]);
  });
});
