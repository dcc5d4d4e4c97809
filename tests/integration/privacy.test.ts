import type { Knex } from 'knex';
import { PLUGIN_TABLES } from '../../server/src/migrations';
import { adminSession } from '../helpers/admin';
import { BROWSER_UA, IPHONE_UA, countRows, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';

const IPS = ['203.0.113.77', '2001:db8::1234', '198.51.100.99'];
const UAS = [BROWSER_UA, IPHONE_UA];

describe('privacy: what the plugin stores', () => {
  let app: TestApp;
  let knex: Knex;
  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
    knex = app.strapi.db.connection as unknown as Knex;
  });
  afterAll(() => app?.stop());

  it('never stores an IP address, a user agent, an email or a user id', async () => {
    const article = await publishArticle(app, 'Private story');
    const admin = await adminSession(app, 'super-admin');
    for (const ip of IPS) {
      for (const ua of UAS) {
        const headers = { 'x-forwarded-for': ip, 'user-agent': ua };
        await app.http().get(`/api/articles/${article}`).set(headers);
        await app
          .http()
          .get(`/api/articles/${article}`)
          .set({ ...headers, authorization: `Bearer ${admin.token}` });
        await app
          .http()
          .post('/api/usage-analytics/track')
          .set({ ...headers, 'content-type': 'text/plain' })
          .send(
            JSON.stringify({
              type: 'event',
              url: `https://example.com/?email=${admin.email}`,
              name: 'signup',
              props: { plan: 'pro' },
            })
          );
        await app
          .http()
          .post('/api/usage-analytics/umami/api/send')
          .set(headers)
          .send({
            type: 'identify',
            payload: { website: '50429a93-8479-4073-be80-d5d29c09c2ec', id: admin.email },
          });
      }
    }
    await app.strapi
      .documents('api::article.article')
      .update({ documentId: article, locale: 'en', data: { title: 'Changed' } });
    await flushPlugin(app);

    const secrets = [...IPS, ...UAS, admin.email, 'Mozilla', '127.0.0.1', '::ffff:'];
    let scanned = 0;
    for (const table of PLUGIN_TABLES) {
      const rows = await knex(table).select('*');
      for (const row of rows) {
        const text = JSON.stringify(row);
        scanned += 1;
        for (const secret of secrets)
          expect([table, text.includes(secret)]).toEqual([table, false]);
        expect(Object.keys(row).join(',')).not.toMatch(/(^|,)(ip|user_agent|email|user_id|admin)/);
      }
    }
    expect(await countRows(app, 'ua_events')).toBe(12);
    expect(scanned).toBeGreaterThan(12);
  });

  it('follows Strapi’s proxy setting for the client address', async () => {
    // With TRUST_PROXY, two forwarded addresses are two visitors.
    await knex('ua_events').delete();
    const article = await publishArticle(app, 'Proxy story');
    for (const ip of ['203.0.113.1', '203.0.113.2']) {
      await app
        .http()
        .get(`/api/articles/${article}`)
        .set({ 'x-forwarded-for': ip, 'user-agent': BROWSER_UA });
    }
    // Without it, forwarded addresses are ignored: the same client is one visitor.
    app.strapi.server.app.proxy = false;
    for (const ip of ['203.0.113.3', '203.0.113.4']) {
      await app
        .http()
        .get(`/api/articles/${article}`)
        .set({ 'x-forwarded-for': ip, 'user-agent': BROWSER_UA });
    }
    app.strapi.server.app.proxy = true;
    await flushPlugin(app);
    // Identical reads by one visitor within a minute share a row: expand rows by their hits.
    const hashes = (await knex('ua_events').orderBy('id').select('visitor_hash', 'hits')).flatMap(
      (r) => Array.from({ length: Number(r.hits) }, () => r.visitor_hash)
    );
    expect(hashes).toHaveLength(4);
    expect(hashes[0]).not.toBe(hashes[1]);
    expect(hashes[2]).toBe(hashes[3]);
  });
});
