import type { Knex } from 'knex';
import type { EventRow } from '../../server/src/collection/event-row';
import { eventRows, rawEventRow } from '../helpers/aggregates';
import { BROWSER_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';

/**
 * Values real sites send every day that do not fit the columns (PostgreSQL and MariaDB enforce
 * the lengths): odd `?locale=` values on Content API reads, long and broken strings through every
 * tracking endpoint, and HTTP methods longer than the monitoring column. Every row fits: none is
 * refused, no flush fails, request statistics keep being written.
 */
// Query-string forms: a NUL byte, an emoji, a lone surrogate (CESU bytes) and the usual suspects.
const QUERY_LOCALES = [
  'x'.repeat(40),
  'en-abcdefgh-abcdefgh',
  encodeURIComponent("en' OR '1'='1'; -- "),
  encodeURIComponent("fr'); DROP TABLE ua_events; /*"),
  '%00',
  'en%00',
  encodeURIComponent('😀'),
  '%ED%A0%80',
  encodeURIComponent('\u202Een'),
  encodeURIComponent('é'.repeat(300)),
  '*',
  'all',
  'EN',
  'de',
  'fr',
  'en',
];
const LONG = '😀\u0000\uD800'.repeat(700);
const QUOTE = 'x\'); DELETE FROM ua_events; -- "';
/** A URL query value with emoji, NUL bytes and lone surrogates (as the bytes a client sends). */
const QUERY_VALUE = `${encodeURIComponent(`${QUOTE}😀`)}%00%ED%A0%80`.repeat(20);

describe('hostile but real values', () => {
  let app: TestApp;
  let knex: Knex;
  let article: string;
  let page: string;

  const post = (path: string, body: unknown) =>
    app
      .http()
      .post(`/api/usage-analytics${path}`)
      .set({ 'content-type': 'text/plain', 'user-agent': BROWSER_UA })
      .send(JSON.stringify(body));
  const pipeline = () => app.strapi.plugin('usage-analytics').service('event-pipeline');
  const monitoring = () => app.strapi.plugin('usage-analytics').service('monitoring');

  beforeAll(async () => {
    app = await bootApp({ pluginConfig: { rateLimit: { perVisitorPerMinute: 100_000 } } });
    knex = app.strapi.db.connection as unknown as Knex;
    article = await publishArticle(app, 'Hostile story');
    page = (
      await app.strapi
        .documents('api::page.page')
        .create({ data: { name: 'About', path: '/about' } })
    ).documentId;
  });
  afterAll(() => app?.stop());

  it('counts a view of a real entry once under that entry, whatever its ?locale=', async () => {
    const answered = { page: 0, article: 0 };
    for (const locale of QUERY_LOCALES) {
      const p = await app
        .http()
        .get(`/api/pages/${page}?locale=${locale}`)
        .set('user-agent', BROWSER_UA);
      if (p.status === 200) answered.page += 1;
      // On PostgreSQL a NUL byte in the locale makes Strapi's own query fail (500, logged).
      if (locale.includes('%00')) continue;
      const a = await app
        .http()
        .get(`/api/articles/${article}?locale=${locale}`)
        .set('user-agent', BROWSER_UA);
      if (a.status === 200) answered.article += 1;
    }
    // The page is not localized: Strapi ignores the parameter and answers every read.
    expect(answered.page).toBe(QUERY_LOCALES.length);
    await flushPlugin(app);

    const views = async (documentId: string) => {
      const rows: { locale: string | null; n: unknown }[] = await eventRows(knex)
        .where({ document_id: documentId, kind: 'api_read' })
        .select('locale')
        .sum({ n: 'hits' })
        .groupBy('locale');
      return rows.map((r) => [r.locale, Number(r.n)]);
    };
    expect(await views(page)).toEqual([[null, QUERY_LOCALES.length]]);
    // The article exists in English only: every answered read is a view of the English entry.
    expect(answered.article).toBeGreaterThan(0);
    expect(await views(article)).toEqual([['en', answered.article]]);
    expect(pipeline().stats().events).toMatchObject({ rejected: 0, flushErrors: 0, pending: 0 });
  });

  it('fits long, broken and hostile values from every tracking endpoint into their columns', async () => {
    await knex('ua_events').delete();
    const url = `https://site.example/${'a'.repeat(1900)}${encodeURIComponent('😀')}?utm_source=${QUERY_VALUE}&utm_campaign=${encodeURIComponent(QUOTE)}`;
    const entry = { contentType: 'api::article.article', documentId: article };
    const sent = [
      await post('/track', { type: 'pageview', url, ...entry, locale: 'en-abcdefgh-abcdefgh' }),
      await post('/track', { type: 'pageview', url, ...entry, locale: 'EN' }),
      await post('/track', { type: 'pageview', url, ...entry, locale: 'de' }),
      await post('/track', { type: 'pageview', url, ...entry, locale: 'fr' }),
      await post('/track', {
        type: 'event',
        url,
        name: `${'😀'.repeat(55)}\u0000\uD800`,
        props: {
          [QUOTE]: LONG.slice(0, 400),
          nul: '\u0000',
          lone: '\uDC00x',
          emoji: '😀'.repeat(200),
        },
      }),
      await post('/plausible/api/event', {
        n: `${QUOTE}${'😀'.repeat(40)}`.slice(0, 120),
        u: `https://site.example/app#/${'r'.repeat(1900)}`,
        h: 1,
        p: { k: LONG.slice(0, 600) },
      }),
      await post('/umami/api/send', {
        type: 'event',
        payload: {
          website: '50429a93-8479-4073-be80-d5d29c09c2ec',
          hostname: 'site.example',
          url: `/${'u'.repeat(1990)}?utm_medium=${QUERY_VALUE}`,
          name: `${QUOTE}\u0000`.slice(0, 50),
          data: { v: LONG.slice(0, 600) },
        },
      }),
    ];
    expect(sent.map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 202, 200]);
    await flushPlugin(app);
    expect(pipeline().stats().events).toMatchObject({ rejected: 0, flushErrors: 0, pending: 0 });

    const rows = await eventRows(knex).orderBy('id').select();
    expect(rows.map((r: { kind: string; source: string }) => `${r.source} ${r.kind}`)).toEqual([
      'tracker pageview',
      'tracker pageview',
      'tracker pageview',
      'tracker pageview',
      'tracker event',
      'plausible event',
      'umami event',
    ]);
    // Only locales configured in Strapi's i18n plugin, as configured.
    expect(rows.slice(0, 4).map((r: { locale: string | null }) => r.locale)).toEqual([
      null,
      'en',
      null,
      'fr',
    ]);
    for (const row of rows) {
      const text = JSON.stringify(row);
      expect(text).not.toMatch(/\\u0000|\\ud[89a-f][0-9a-f]{2}/i);
      expect(String(row.path).length).toBeLessThanOrEqual(2000);
      for (const column of ['utm_source', 'utm_medium', 'utm_campaign'])
        expect(String(row[column] ?? '').length).toBeLessThanOrEqual(255);
    }
    expect(rows[4].event_name).toBe('😀'.repeat(55));
    const props = JSON.parse(rows[4].props);
    expect(['nul' in props, props.lone, props.emoji]).toEqual([false, 'x', '😀'.repeat(200)]);
  });

  it('drops a row the database still refuses alone and writes the rest of its batch in the same flush', async () => {
    await flushPlugin(app);
    await knex('ua_events').delete();
    const before = pipeline().stats().events;
    const logged = app.logs.length;
    const row = (path: string, kind: string | null) => ({
      ...rawEventRow({ ts: Date.now(), kind: 'pageview', path }),
      kind: kind as EventRow['kind'],
    });
    // No kind (NOT NULL), which no collector makes and the edge does not fit: a stand-in for
    // any row the database refuses.
    for (let i = 0; i < 50; i += 1)
      pipeline().pushEvent(row(`/ok/${i}`, i === 17 ? null : 'pageview'));
    await flushPlugin(app);
    const after = pipeline().stats().events;
    expect({
      rejected: after.rejected - before.rejected,
      flushErrors: after.flushErrors - before.flushErrors,
      flushed: after.flushed - before.flushed,
      pending: after.pending,
    }).toEqual({ rejected: 1, flushErrors: 0, flushed: 49, pending: 0 });
    const [{ n }] = await knex('ua_events').count({ n: '*' });
    expect(Number(n)).toBe(49);
    const refusals = app.logs
      .slice(logged)
      .filter((line) => /refused 1 row\(s\)/.test(line.message));
    expect(refusals).toHaveLength(1);
  });

  it('keeps writing request statistics when a client sends UNSUBSCRIBE or PROPFIND', async () => {
    await monitoring().flush(true);
    await knex('ua_request_stats').delete();
    const before = monitoring().stats();
    // Strapi answers both 501 (Not Implemented); what matters is that they are counted.
    for (let i = 0; i < 3; i += 1) {
      await app.http().unsubscribe('/api/pages');
      await app.http().propfind(`/api/pages/${page}`);
    }
    expect((await app.http().get('/api/pages')).status).toBe(200);
    await monitoring().flush(true);
    const after = monitoring().stats();
    expect(after.flushErrors - before.flushErrors).toBe(0);
    expect(after.rowsRefused).toBe(0);
    expect(after.pendingMinutes).toBe(0);
    const rows = await knex('ua_request_stats').select('method', 'count');
    const byMethod = new Map<string, number>();
    for (const row of rows)
      byMethod.set(row.method, (byMethod.get(row.method) ?? 0) + Number(row.count));
    expect(byMethod.get('OTHER')).toBe(6);
    expect(byMethod.get('GET')).toBeGreaterThanOrEqual(1);
    // The next minute's statistics are written too.
    expect((await app.http().get('/api/pages')).status).toBe(200);
    await monitoring().flush(true);
    expect(monitoring().stats().rowsWritten).toBeGreaterThan(after.rowsWritten);
  });
});
