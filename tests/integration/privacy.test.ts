import type { Knex } from 'knex';
import { PLUGIN_TABLES } from '../../server/src/migrations';
import { adminSession } from '../helpers/admin';
import { BROWSER_UA, IPHONE_UA, countRows, flushPlugin, publishArticle } from '../helpers/content';
import { pluginTableNames } from '../helpers/real-world-input';
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

  it('scrubs tokens and e-mail addresses sent to every endpoint from every plugin table', async () => {
    const EMAIL = 'jane.doe+news@example.com';
    const ENCODED = encodeURIComponent(EMAIL);
    // Each secret is unique, so a hit names what leaked.
    const s = (n: number) => `s3cr3t${n}x`;
    const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlcw';
    const ip = '203.0.113.199';
    const headers = { 'x-forwarded-for': ip, 'user-agent': BROWSER_UA };
    const post = (path: string, body: unknown) =>
      app
        .http()
        .post(`/api/usage-analytics${path}`)
        .set({ ...headers, 'content-type': 'text/plain' })
        .send(JSON.stringify(body));
    const article = await publishArticle(app, 'Scrubbed story');
    const page = await app.strapi
      .documents('api::page.page')
      .create({ data: { name: EMAIL, path: `/users/${EMAIL}` } });

    const answers = [
      // Content API reads: a view and a list read with secrets in the query string.
      await app
        .http()
        .get(`/api/articles/${article}?access_token=${s(1)}&email=${ENCODED}`)
        .set(headers),
      await app
        .http()
        .get(`/api/pages?filters[name][$eq]=${ENCODED}&token=${s(2)}`)
        .set(headers),
      await app
        .http()
        .get(`/api/pages/${page.documentId}?password=${s(3)}`)
        .set(headers),
      // The tracker: e-mail in the path, UTM values and props, tokens in query and fragment.
      await post('/track', {
        type: 'pageview',
        url: `https://site.example/users/${EMAIL}/profile?utm_source=${ENCODED}&utm_medium=mail&utm_campaign=spring%3Ftoken%3D${s(4)}&access_token=${s(5)}#access_token=${s(6)}&state=${s(7)}`,
        referrer: `https://${EMAIL.split('@')[0]}:${s(8)}@mail.example/inbox?email=${ENCODED}`,
        contentType: 'api::article.article',
        documentId: article,
      }),
      await post('/track', {
        type: 'event',
        url: `https://site.example/reset/${JWT}?code=${s(9)}`,
        name: `invite sent to ${EMAIL}`,
        props: {
          email: EMAIL,
          token: s(10),
          note: `write to ${ENCODED}`,
          pageTitle: `Profile of ${EMAIL}`,
          callback: `https://site.example/cb?code=${s(11)}&state=${s(12)}`,
          [EMAIL]: 'as a key',
        },
      }),
      // Plausible, hash mode: fragments with OAuth parameters, e-mail in path and props.
      await post('/plausible/api/event', {
        n: 'pageview',
        u: `https://site.example/app#access_token=${s(13)}&state=${s(14)}&id_token=${JWT}`,
        d: 'site.example',
        h: 1,
      }),
      await post('/plausible/api/event', {
        n: `Signup ${EMAIL}`,
        u: `https://site.example/users/${EMAIL}#/callback?code=${s(15)}&email=${ENCODED}`,
        d: 'site.example',
        h: 1,
        r: `https://mail.example/?email=${ENCODED}`,
        p: { email: EMAIL, password: s(16), title: `Inbox of ${EMAIL}` },
      }),
      // Umami: e-mail in path, UTM value, title, name and data; a token in the fragment.
      await post('/umami/api/send', {
        type: 'event',
        payload: {
          website: '50429a93-8479-4073-be80-d5d29c09c2ec',
          hostname: 'site.example',
          url: `/users/${EMAIL}?utm_medium=${ENCODED}&utm_campaign=x%26password%3D${s(17)}#token=${s(18)}`,
          title: `Profile of ${EMAIL} ${s(19)}`,
          referrer: `https://mail.example/?email=${ENCODED}`,
          name: `mail ${EMAIL}`,
          data: { email: EMAIL, secret: s(20), comment: `from ${EMAIL}` },
        },
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 202, 202, 202, 202, 200]);
    await flushPlugin(app);
    await app.strapi.plugin('usage-analytics').service('monitoring').flush(true);
    await app.strapi.plugin('usage-analytics').service('rollup').runOnce();

    // Every plugin table the database has, every column of every row.
    const pluginTables = await pluginTableNames(knex);
    expect(pluginTables.length).toBeGreaterThanOrEqual(PLUGIN_TABLES.length);
    const secrets = [
      EMAIL,
      ENCODED,
      'jane.doe',
      JWT,
      JWT.split('.')[1],
      ip,
      BROWSER_UA,
      'Mozilla',
      ...Array.from({ length: 20 }, (_, i) => s(i + 1)),
    ];
    const found: string[] = [];
    let scanned = 0;
    for (const table of pluginTables) {
      for (const row of await knex(table).select('*')) {
        scanned += 1;
        const text = JSON.stringify(row).toLowerCase();
        for (const secret of secrets)
          if (text.includes(secret.toLowerCase())) found.push(`${table}: ${secret}`);
      }
    }
    expect(found).toEqual([]);
    // What was scrubbed is still counted, with placeholders where the personal data was.
    const paths = (await knex('ua_events').select('path')).map((r: { path: string }) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/users/[email]/profile', '/app', '/users/[email]#/callback'])
    );
    expect(scanned).toBeGreaterThan(20);
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
