import type { Core } from '@strapi/strapi';

// Sample content for the demo (and for tests that want a populated site).
// Idempotent: does nothing when articles already exist.
const TOPICS = [
  'Getting started with headless CMS',
  'Ten tips for faster APIs',
  'Why privacy-friendly analytics matter',
  'Designing a content model',
  'Publishing workflows for small teams',
  'Localising a website in a weekend',
  'Caching strategies for Strapi',
  'Writing for the web',
  'A tour of the admin panel',
  'Monitoring a Node.js service',
  'Images, formats and performance',
  'From draft to published',
];

export async function seedContent(strapi: Core.Strapi) {
  const articles = strapi.documents('api::article.article');
  if ((await articles.count({})) > 0) return;
  for (const [i, title] of TOPICS.entries()) {
    const slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/(^-|-$)/g, '');
    const doc = await articles.create({
      data: { title, slug, body: `# ${title}\n\nArticle number ${i + 1} of the demo site.` },
      locale: 'en',
    });
    if (i % 3 === 0) {
      await articles.update({
        documentId: doc.documentId,
        locale: 'fr',
        data: { title: `${title} (fr)`, slug: `${slug}-fr`, body: `Article ${i + 1} en français.` },
      });
    }
    if (i < TOPICS.length - 2) {
      await articles.publish({ documentId: doc.documentId, locale: '*' });
    }
  }
  const pages = strapi.documents('api::page.page');
  const pageList: Array<[string, string]> = [
    ['About', '/about'],
    ['Contact', '/contact'],
    ['Pricing', '/pricing'],
  ];
  for (const [name, path] of pageList) {
    await pages.create({ data: { name, path, content: `The ${name} page.` } });
  }
  const home = strapi.documents('api::homepage.homepage');
  const homepage = await home.create({
    data: { headline: 'Welcome to the demo site', intro: 'Content served by Strapi.' },
    locale: 'en',
  });
  await home.publish({ documentId: homepage.documentId, locale: 'en' });
}
