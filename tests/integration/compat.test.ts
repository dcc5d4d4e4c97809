import type { Knex } from 'knex';
import { BOT_UA, BROWSER_UA, flushPlugin } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { eventRows } from '../helpers/aggregates';

const WEBSITE = '50429a93-8479-4073-be80-d5d29c09c2ec';
const UMAMI_NODE_UA = 'Mozilla/5.0 Umami/v20.20.2';

describe('Plausible- and Umami-compatible event APIs', () => {
  let app: TestApp;
  let knex: Knex;

  const post = (path: string, body: unknown, type = 'application/json', ua = BROWSER_UA) =>
    app
      .http()
      .post(`/api/usage-analytics${path}`)
      .set({ 'content-type': type, 'user-agent': ua, 'x-forwarded-for': '192.0.2.10' })
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  const rows = async () => {
    await flushPlugin(app);
    return eventRows(knex).orderBy('id');
  };

  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'true' } });
    knex = app.strapi.db.connection as unknown as Knex;
  });
  afterAll(() => app?.stop());
  beforeEach(async () => {
    await flushPlugin(app);
    await knex('ua_events').delete();
  });

  describe('Plausible /api/event', () => {
    const endpoint = '/plausible/api/event';

    it('accepts what the official tracker sends and answers 202 ok', async () => {
      // Bodies as @plausible-analytics/tracker 0.4.6 builds them (text/plain, fetch keepalive).
      const pageview = await post(
        endpoint,
        {
          n: 'pageview',
          v: 36,
          u: 'https://example.com/blog/post?utm_source=x',
          d: 'example.com',
          r: 'https://www.google.com/',
        },
        'text/plain'
      );
      expect([pageview.status, pageview.text]).toEqual([202, 'ok']);
      expect(pageview.headers['x-plausible-dropped']).toBeUndefined();
      const signup = await post(
        endpoint,
        {
          n: 'Signup',
          v: 36,
          u: 'https://example.com/pricing',
          d: 'example.com',
          r: null,
          p: { plan: 'pro', seats: 3, tags: ['a'] },
          i: false,
          $: { amount: 15.99, currency: 'USD' },
        },
        'text/plain'
      );
      expect(signup.status).toBe(202);
      const engagement = await post(
        endpoint,
        {
          n: 'engagement',
          sd: 73,
          d: 'example.com',
          u: 'https://example.com/blog/post',
          p: { author: 'ann' },
          e: 12840,
          v: 36,
        },
        'text/plain'
      );
      expect(engagement.status).toBe(202);
      // The older plausible-tracker package: props as a JSON string, w and h always present.
      const legacy = await post(
        endpoint,
        {
          n: 'Download',
          u: 'https://example.com/#/files',
          d: 'example.com',
          r: null,
          w: 1280,
          h: 1,
          p: '{"file":"a.pdf"}',
        },
        'text/plain'
      );
      expect(legacy.status).toBe(202);

      const stored = await rows();
      expect(stored.map((r) => [r.kind, r.source, r.path, r.event_name])).toEqual([
        ['pageview', 'plausible', '/blog/post', null],
        ['event', 'plausible', '/pricing', 'Signup'],
        ['engagement', 'plausible', '/blog/post', null],
        ['event', 'plausible', '/#/files', 'Download'],
      ]);
      expect(stored[0]).toMatchObject({
        utm_source: 'x',
        referrer_host: 'google.com',
        device: 'desktop',
      });
      expect(JSON.parse(stored[1].props)).toEqual({ plan: 'pro', seats: '3' });
      expect(stored[2]).toMatchObject({ engaged_ms: 12840, scroll_depth: 73 });
      expect(JSON.parse(stored[3].props)).toEqual({ file: 'a.pdf' });
    });

    it.each([
      [{ u: 'https://example.com/' }, { event_name: ['is required'] }],
      [{ n: 'pageview' }, { url: ['is required'] }],
      [{ n: 'pageview', u: 'data:text/html,hi' }, { url: ['scheme is not allowed'] }],
      [
        { n: 'pageview', u: `https://example.com/${'a'.repeat(2000)}` },
        { url: ['must be a valid url'] },
      ],
      [{ n: 'pageview', u: 'https://example.com/', d: '' }, { domain: ["can't be blank"] }],
      [
        { n: 'x'.repeat(121), u: 'https://example.com/' },
        { event_name: ['should be at most 120 character(s)'] },
      ],
      [
        { n: 'engagement', u: 'https://example.com/' },
        { event_name: [expect.stringContaining("'sd' or 'e'")] },
      ],
      [
        { n: 'e', u: 'https://example.com/', p: { k: 'v'.repeat(2001) } },
        { props: ['keys should have at most 300 bytes and values 2000 bytes'] },
      ],
    ])('answers 400 with Plausible errors (case %#)', async (body, errors) => {
      const res = await post(endpoint, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors });
      expect(await rows()).toHaveLength(0);
    });

    it('keeps 30 props and drops the rest, as Plausible does', async () => {
      const p = Object.fromEntries(Array.from({ length: 35 }, (_, i) => [`k${i}`, `v${i}`]));
      expect((await post(endpoint, { n: 'Big', u: 'https://example.com/', p })).status).toBe(202);
      const [row] = await rows();
      expect(Object.keys(JSON.parse(row.props))).toHaveLength(30);
    });

    it('answers 202 with x-plausible-dropped for a bot', async () => {
      const res = await post(
        endpoint,
        { n: 'pageview', u: 'https://example.com/' },
        'text/plain',
        BOT_UA
      );
      expect([res.status, res.headers['x-plausible-dropped']]).toEqual([202, '1']);
      expect(await rows()).toHaveLength(0);
    });
  });

  describe('Umami /api/send and /api/batch', () => {
    it('accepts what the official script and @umami/node send', async () => {
      const page = await post('/umami/api/send', {
        type: 'event',
        payload: {
          website: WEBSITE,
          screen: '1920x1080',
          language: 'en-US',
          title: 'Blog post',
          hostname: 'example.com',
          url: 'https://example.com/blog/post?x=1&utm_campaign=launch',
          referrer: 'https://www.google.com/',
        },
      });
      expect(page.status).toBe(200);
      expect(Object.keys(page.body).sort()).toEqual(['cache', 'sessionId', 'visitId']);
      const event = await post('/umami/api/send', {
        type: 'event',
        payload: {
          website: WEBSITE,
          screen: '1920x1080',
          language: 'en-US',
          title: 'Pricing',
          hostname: 'example.com',
          url: 'https://example.com/pricing',
          referrer: '',
          name: 'signup',
          data: { plan: 'pro' },
        },
      });
      expect(event.status).toBe(200);
      // @umami/node: a path as url, its own user agent.
      const node = await post(
        '/umami/api/send',
        { type: 'event', payload: { website: WEBSITE, url: '/home' } },
        'application/json',
        UMAMI_NODE_UA
      );
      expect(node.status).toBe(200);
      // identify carries a user id: accepted, nothing stored.
      const identify = await post('/umami/api/send', {
        type: 'identify',
        payload: { website: WEBSITE, id: 'user-42', data: { plan: 'pro' } },
      });
      expect(identify.status).toBe(200);

      const stored = await rows();
      expect(stored.map((r) => [r.kind, r.source, r.path, r.event_name, r.utm_campaign])).toEqual([
        ['pageview', 'umami', '/blog/post', null, 'launch'],
        ['event', 'umami', '/pricing', 'signup', null],
        ['pageview', 'umami', '/home', null, null],
      ]);
      expect(JSON.parse(stored[1].props)).toEqual({ plan: 'pro' });
      expect(JSON.stringify(stored)).not.toContain('user-42');
    });

    it.each([
      [{ type: 'click', payload: { website: WEBSITE } }, 'type'],
      [{ type: 'event', payload: { website: 'not-a-uuid' } }, 'Invalid UUID'],
      [{ type: 'event', payload: {} }, 'exactly one of website, link or pixel'],
      [{ type: 'event', payload: { website: WEBSITE, name: 'n'.repeat(51) } }, 'name'],
      [{ type: 'performance', payload: { website: WEBSITE, lcp: 70000 } }, 'lcp'],
    ])('answers 400 in Umami’s shape (case %#)', async (body, reason) => {
      const res = await post('/umami/api/send', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'bad-request', status: 400 });
      expect(res.body.error.message).toContain(reason);
      expect(await rows()).toHaveLength(0);
    });

    it('answers beep boop to a bot', async () => {
      const res = await post(
        '/umami/api/send',
        { type: 'event', payload: { website: WEBSITE, url: '/' } },
        'application/json',
        BOT_UA
      );
      expect([res.status, res.body]).toEqual([200, { beep: 'boop' }]);
    });

    it('processes a batch and reports each failure by index', async () => {
      const res = await post('/umami/api/batch', [
        { type: 'event', payload: { website: WEBSITE, url: '/a' } },
        { type: 'event', payload: { website: 'bad' } },
        { type: 'event', payload: { website: WEBSITE, url: '/b', name: 'click' } },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        size: 3,
        processed: 2,
        errors: 1,
        cache: expect.any(String),
      });
      expect(res.body.details).toEqual([
        { index: 1, response: { error: expect.objectContaining({ code: 'bad-request' }) } },
      ]);
      expect((await rows()).map((r) => r.path)).toEqual(['/a', '/b']);
    });

    it('answers the CORS preflight of the browser script', async () => {
      const res = await app.http().options('/api/usage-analytics/umami/api/send').set({
        origin: 'https://example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-umami-cache',
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-headers']).toMatch(/x-umami-cache/i);
    });
  });

  it('answers 400, never 500, to malformed JSON on every endpoint', async () => {
    for (const path of ['/track', '/plausible/api/event', '/umami/api/send', '/umami/api/batch']) {
      for (const type of ['application/json', 'text/plain']) {
        const res = await post(path, '{"broken":', type);
        expect([path, type, res.status]).toEqual([path, type, 400]);
      }
    }
  });
});
