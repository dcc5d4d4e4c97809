import type { TestApp } from './strapi';

/** Creates and publishes an article in English (and optionally French); returns its documentId. */
export async function publishArticle(
  app: TestApp,
  title: string,
  options: { fr?: string } = {}
): Promise<string> {
  const articles = app.strapi.documents('api::article.article');
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const doc = await articles.create({
    data: { title, slug, body: `About ${title}` },
    locale: 'en',
  });
  if (options.fr) {
    await articles.update({
      documentId: doc.documentId,
      locale: 'fr',
      data: { title: options.fr, slug: `${slug}-fr` },
    });
  }
  await articles.publish({ documentId: doc.documentId, locale: '*' });
  return doc.documentId;
}

/** Writes what the plugin has buffered, so a test can read the raw tables. */
export async function flushPlugin(app: TestApp): Promise<void> {
  await app.strapi.plugin('usage-analytics').service('event-pipeline').flush();
}

export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** Row count of a plugin table, as a number on every database. */
export async function countRows(app: TestApp, table: string): Promise<number> {
  const [row] = await app.strapi.db.connection(table).count({ n: '*' });
  return Number(row.n);
}
