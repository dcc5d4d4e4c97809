import type { Context } from 'koa';
import type { PluginConfig } from '../../server/src/config/schema';
import { createRequestTracking } from '../../server/src/middlewares/request-tracking';
import { collectorWithServices } from '../helpers/collector-services';
import { BOT_UA, BROWSER_UA } from '../helpers/content';

const ARTICLE = 'api::article.article';
const ONE = { data: { documentId: 'abc123', locale: 'fr', title: 'Bonjour' } };
const MANY = { data: [{ documentId: 'a' }, { documentId: 'b' }] };

interface Request {
  method?: string;
  status?: number;
  path?: string;
  handler?: string;
  /** The route's type: Strapi's `content-api` for /api, `admin` for the admin panel's. */
  type?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Runs requests through the middleware after Strapi "answered" them (`next` sets the response)
 * and returns what was queued, as [kind, content type, document, locale, path] per row.
 */
async function track(requests: Request[], config: Partial<PluginConfig> = {}) {
  const services = collectorWithServices(config);
  const middleware = createRequestTracking(services.strapi);
  for (const r of requests) {
    const headers: Record<string, string> = { 'user-agent': BROWSER_UA, ...r.headers };
    const ctx = {
      method: r.method ?? 'GET',
      path: r.path ?? `/api/articles/abc123`,
      ip: '203.0.113.5',
      app: { proxy: false },
      state: {},
      get: (name: string) => headers[name] ?? '',
    } as unknown as Context;
    await middleware(ctx, async () => {
      ctx.status = r.status ?? 200;
      ctx.body = r.body ?? ONE;
      ctx.state.route = {
        handler: r.handler ?? `${ARTICLE}.findOne`,
        info: { type: r.type ?? 'content-api' },
      };
    });
  }
  const rows = services.rows.map((row) => [
    row.kind,
    row.content_type,
    row.document_id,
    row.locale,
    row.path,
  ]);
  return { rows, drops: services.drops, logged: services.logged };
}

describe('Content API reads: what is counted', () => {
  it("counts a successful read of one entry as a view of it, in the returned entry's locale", async () => {
    expect((await track([{}])).rows).toEqual([
      ['api_read', ARTICLE, 'abc123', 'fr', '/api/articles/abc123'],
    ]);
  });

  it('counts a list as a list read of its content type', async () => {
    const { rows } = await track([
      { path: '/api/articles', handler: `${ARTICLE}.find`, body: MANY },
    ]);
    expect(rows).toEqual([['list_read', ARTICLE, null, null, '/api/articles']]);
  });

  it('counts a find that returned exactly one entry (a lookup by slug) as a view', async () => {
    const { rows } = await track([
      { path: '/api/articles', handler: `${ARTICLE}.find`, body: { data: [ONE.data] } },
    ]);
    expect(rows).toEqual([['api_read', ARTICLE, 'abc123', 'fr', '/api/articles']]);
  });

  it('keeps at most 2000 characters of the path', async () => {
    const { rows } = await track([{ path: `/api/articles/${'x'.repeat(3000)}` }]);
    expect((rows[0][4] as string).length).toBe(2000);
  });
});

describe('Content API reads: what is not counted', () => {
  it.each([['POST'], ['PUT'], ['DELETE'], ['HEAD'], ['PATCH']])('a %s request', async (method) => {
    expect((await track([{ method }])).rows).toEqual([]);
  });

  it.each([[201], [204], [304], [400], [403], [404], [500]])(
    'an answer with status %i',
    async (status) => {
      expect((await track([{ status }])).rows).toEqual([]);
    }
  );

  it('a request to an admin route, or to a route of another plugin', async () => {
    const { rows } = await track([
      { type: 'admin' },
      { handler: 'plugin::upload.content-api.find', body: MANY },
      { handler: `${ARTICLE}.create` },
    ]);
    expect(rows).toEqual([]);
  });

  it('any read while trackApiReads is off', async () => {
    expect((await track([{}], { trackApiReads: false })).rows).toEqual([]);
  });

  it("a bot's read, or one with Do Not Track, each counted as such", async () => {
    const { rows, drops } = await track([
      { headers: { 'user-agent': BOT_UA } },
      { headers: { dnt: '1' } },
      { headers: { 'sec-gpc': '1' } },
    ]);
    expect([rows, drops]).toEqual([[], ['bot', 'dnt', 'dnt']]);
  });
});

describe('Content API reads: a failure to record', () => {
  it('is logged, once a minute, and never reaches the request', async () => {
    const throwing = {
      data: {
        get documentId(): string {
          throw new Error('odd body');
        },
      },
    };
    const { rows, logged } = await track([{ body: throwing }, { body: throwing }, {}]);
    expect(logged).toEqual(['[usage-analytics] could not record a Content API read: odd body']);
    expect(rows).toHaveLength(1);
  });
});
