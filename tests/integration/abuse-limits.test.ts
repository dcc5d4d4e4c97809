import type { Knex } from 'knex';
import { BROWSER_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { eventRows } from '../helpers/aggregates';

const TOKEN = 'abuse-limits-metrics-token';
const PER_VISITOR = 5;
const PER_ADDRESS = 10 * PER_VISITOR; // the default: ten per-visitor limits
const SITE = 'site.example';
const UMAMI_WEBSITE = '3f0a1b2c-1d2e-4f50-8a9b-0c1d2e3f4a5b';
const OTHER_WEBSITE = '00000000-1d2e-4f50-8a9b-0c1d2e3f4a5b';

/** A browser user agent that differs per `i`: each is a new anonymous visitor. */
const rotatingUa = (i: number) => BROWSER_UA.replace('126.0.0.0', `126.0.${i}.0`);

/** Waits, if needed, until at least `seconds` are left in the current UTC minute (rate windows). */
async function roomInMinute(seconds: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

async function droppedCounts(app: TestApp): Promise<Record<string, number>> {
  const res = await app
    .http()
    .get('/api/usage-analytics/metrics')
    .set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  const counts: Record<string, number> = {};
  for (const match of res.text.matchAll(
    /^usage_analytics_events_dropped_total\{reason="(\w+)"\} (\d+)$/gm
  )) {
    counts[match[1]] = Number(match[2]);
  }
  return counts;
}

describe('abuse limits on the tracking endpoints', () => {
  let app: TestApp;
  let knex: Knex;

  const track = (body: unknown, ip: string, ua = BROWSER_UA) =>
    app
      .http()
      .post('/api/usage-analytics/track')
      .set({ 'content-type': 'text/plain', 'user-agent': ua, 'x-forwarded-for': ip })
      .send(JSON.stringify(body));
  const plausible = (body: unknown, ip = '198.51.100.30') =>
    app
      .http()
      .post('/api/usage-analytics/plausible/api/event')
      .set({ 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip })
      .send(JSON.stringify(body));
  const umami = (payload: Record<string, unknown>, ip = '198.51.100.31') =>
    app
      .http()
      .post('/api/usage-analytics/umami/api/send')
      .set({ 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip })
      .send(JSON.stringify({ type: 'event', payload }));

  beforeAll(async () => {
    app = await bootApp({
      env: { TRUST_PROXY: 'true' },
      pluginConfig: {
        rateLimit: { perVisitorPerMinute: PER_VISITOR },
        allowedHostnames: [SITE, UMAMI_WEBSITE],
        metrics: { enabled: true, token: TOKEN },
        // Only the test's own flushes write, so a batch is exactly what a test sent.
        flush: { intervalMs: 60_000 },
      },
    });
    knex = app.strapi.db.connection as unknown as Knex;
  });
  afterAll(() => app?.stop());
  beforeEach(async () => {
    await flushPlugin(app);
    await knex('ua_events').delete();
  });

  it('warns once at startup that clients can choose their address (proxy.koa, no maxIpsCount)', () => {
    const warnings = app.logs.filter(
      (l) => l.level === 'warn' && /server\.proxy\.koa is on without/.test(l.message)
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('maxIpsCount');
  });

  it('caps one address rotating its user agent, and serves another address', async () => {
    await roomInMinute(12);
    const before = await droppedCounts(app);
    const statuses: number[] = [];
    let lastRefusal = '';
    for (let i = 0; i < 80; i += 1) {
      const res = await track(
        { type: 'pageview', url: `https://${SITE}/office/${i}` },
        '203.0.113.80',
        rotatingUa(i)
      );
      statuses.push(res.status);
      if (res.status === 429) lastRefusal = res.body.error.message;
    }
    // IPv6: every address of one /64 is one client address.
    const v6: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const res = await track(
        { type: 'pageview', url: `https://${SITE}/v6/${i}` },
        `2001:db8:77:1:${(i + 1).toString(16)}::${(i + 1).toString(16)}`,
        rotatingUa(i)
      );
      v6.push(res.status);
    }
    const other: number[] = [];
    for (let i = 0; i < PER_VISITOR; i += 1) {
      other.push(
        (await track({ type: 'pageview', url: `https://${SITE}/b/${i}` }, '203.0.113.81')).status
      );
    }
    const otherV6 = await track(
      { type: 'pageview', url: `https://${SITE}/v6b` },
      '2001:db8:77:2::1'
    );

    expect({
      accepted: statuses.filter((s) => s === 202).length,
      refused: statuses.filter((s) => s === 429).length,
    }).toEqual({ accepted: PER_ADDRESS, refused: 80 - PER_ADDRESS });
    expect(lastRefusal).toContain('too many events from this address');
    expect(v6.filter((s) => s === 202).length).toBe(PER_ADDRESS);
    expect(other).toEqual(Array(PER_VISITOR).fill(202));
    expect(otherV6.status).toBe(202);

    await flushPlugin(app);
    const [{ n }] = await knex('ua_events').count({ n: '*' });
    expect(Number(n)).toBe(2 * PER_ADDRESS + PER_VISITOR + 1);
    const after = await droppedCounts(app);
    expect((after.address_limited ?? 0) - (before.address_limited ?? 0)).toBe(
      80 - PER_ADDRESS + 60 - PER_ADDRESS
    );
  });

  it('refuses events for other sites with 403 and a reason on each endpoint, and counts them', async () => {
    const before = await droppedCounts(app);

    const foreignTrack = await track(
      { type: 'pageview', url: 'https://evil.example/a' },
      '198.51.100.20'
    );
    expect(foreignTrack.status).toBe(403);
    expect(foreignTrack.body.error.message).toContain('evil.example');
    const ownTrack = await track(
      { type: 'pageview', url: `https://www.${SITE}/a` },
      '198.51.100.20'
    );
    expect(ownTrack.status).toBe(202);

    const foreignPlausible = await plausible({
      n: 'pageview',
      u: `https://${SITE}/p`,
      d: 'evil.example',
    });
    expect(foreignPlausible.status).toBe(403);
    expect(foreignPlausible.body.errors.domain[0]).toContain('evil.example');
    const noDomain = await plausible({ n: 'pageview', u: 'https://evil.example/p' });
    expect(noDomain.status).toBe(403);
    expect((await plausible({ n: 'pageview', u: `https://${SITE}/p`, d: SITE })).status).toBe(202);

    const foreignUmami = await umami({
      website: OTHER_WEBSITE,
      hostname: 'evil.example',
      url: '/u',
    });
    expect(foreignUmami.status).toBe(403);
    expect(foreignUmami.body.error).toMatchObject({ code: 'forbidden', status: 403 });
    expect(foreignUmami.body.error.message).toContain('evil.example');
    expect((await umami({ website: OTHER_WEBSITE, hostname: SITE, url: '/u' })).status).toBe(200);
    // A listed Umami website id is accepted whatever hostname it reports.
    expect((await umami({ website: UMAMI_WEBSITE, hostname: 'localhost', url: '/w' })).status).toBe(
      200
    );

    await flushPlugin(app);
    const paths = (await knex('ua_events').select('path').orderBy('path')).map((r) => r.path);
    expect(paths).toEqual(['/a', '/p', '/u', '/w']);
    const after = await droppedCounts(app);
    expect((after.host_not_allowed ?? 0) - (before.host_not_allowed ?? 0)).toBe(4);
  });

  it('applies an allowedHostnames change saved from the settings page at once', async () => {
    const settings = app.strapi.plugin('usage-analytics').service('settings');
    const admin = { id: 1, email: 'ops@example.test' };
    const page = (host: string) => ({ type: 'pageview', url: `https://${host}/settings` });
    // A write names the version of the settings it was read at.
    const save = (values: object) =>
      settings.update({ ...values, version: settings.describe().version }, admin);
    const refused = await save({ allowedHostnames: ['not a hostname'] });
    expect(refused.ok).toBe(false);
    expect(refused.issues[0]).toMatchObject({ key: 'allowedHostnames' });
    expect((await save({ allowedHostnames: ['*.other.example'] })).ok).toBe(true);
    try {
      expect((await track(page(SITE), '198.51.100.40')).status).toBe(403);
      expect((await track(page('www.other.example'), '198.51.100.40')).status).toBe(202);
    } finally {
      await save({ allowedHostnames: null });
    }
    expect((await track(page(SITE), '198.51.100.40')).status).toBe(202);
  });

  it('keeps an event naming a missing entry as a path view, checked once per content type per batch', async () => {
    const article = await publishArticle(app, 'Existing entry');
    const N = 40;
    const queries: string[] = [];
    const onQuery = (q: { sql: string }) => queries.push(q.sql);
    for (let i = 0; i < N; i += 1) {
      const named = i % 2 === 0 ? article : `missing${String(i).padStart(17, '0')}`;
      const res = await track(
        {
          type: 'pageview',
          url: `https://${SITE}/entries/${i}`,
          contentType: 'api::article.article',
          documentId: named,
          locale: 'en',
        },
        `192.0.2.${i + 1}`
      );
      expect(res.status).toBe(202);
    }
    knex.on('query', onQuery);
    try {
      await flushPlugin(app);
    } finally {
      knex.removeListener('query', onQuery);
    }
    const rows: Array<{
      path: string;
      content_type: string | null;
      document_id: string | null;
      locale: string | null;
    }> = await eventRows(knex).select('path', 'content_type', 'document_id', 'locale');
    expect(rows).toHaveLength(N);
    const withEntry = rows.filter((r) => r.document_id === article);
    const without = rows.filter((r) => r.document_id === null);
    expect(withEntry).toHaveLength(N / 2);
    expect(withEntry.every((r) => r.content_type === 'api::article.article')).toBe(true);
    expect(without).toHaveLength(N / 2);
    expect(without.every((r) => r.content_type === null && r.locale === null)).toBe(true);
    expect(without.map((r) => r.path).sort()).toEqual(
      Array.from({ length: N / 2 }, (_, k) => `/entries/${2 * k + 1}`).sort()
    );
    // The entries were looked up in one query for the whole batch, not one per event.
    const lookups = queries.filter((sql) => /\barticles\b/.test(sql));
    expect(lookups).toHaveLength(1);

    // Known now: the next batch naming the same entries needs no lookup at all.
    queries.length = 0;
    await track(
      {
        type: 'pageview',
        url: `https://${SITE}/again`,
        contentType: 'api::article.article',
        documentId: article,
      },
      '192.0.2.200'
    );
    knex.on('query', onQuery);
    try {
      await flushPlugin(app);
    } finally {
      knex.removeListener('query', onQuery);
    }
    expect(queries.filter((sql) => /\barticles\b/.test(sql))).toHaveLength(0);
  });
});

describe('proxy settings with maxIpsCount', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootApp({
      env: { TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '1' },
      pluginConfig: { rateLimit: { perVisitorPerMinute: PER_VISITOR } },
    });
  });
  afterAll(() => app?.stop());

  it('logs no warning and counts the address the proxy saw, whatever the client wrote', async () => {
    expect(app.logs.filter((l) => /server\.proxy\.koa/.test(l.message))).toEqual([]);
    await roomInMinute(10);
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 10; i += 1) {
      const res = await app
        .http()
        .post('/api/usage-analytics/track')
        .set({
          'content-type': 'text/plain',
          'user-agent': rotatingUa(i),
          // The client's own X-Forwarded-For, then the address the proxy appended.
          'x-forwarded-for': `10.9.${i}.1, 203.0.113.90`,
        })
        .send(JSON.stringify({ type: 'pageview', url: `https://${SITE}/hops/${i}` }));
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 202).length).toBe(PER_ADDRESS);
  });
});
