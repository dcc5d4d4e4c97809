import type { Knex } from 'knex';
import type { ContentTableResponse, InsightsResponse } from '../../shared/contracts/insights';
import { PERMISSIONS } from '../../shared/permissions';
import { adminSession, type AdminSession } from '../helpers/admin';
import { flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { daysAgo } from '../helpers/days';
import { insertContentRows } from '../helpers/aggregates';

// The dashboard's content table, insights, editorial marks and CSV export, on stored daily
// aggregates written for known days: the figures below follow from those rows alone.

const day = (back: number) => daysAgo(back);
const RANGE = `from=${day(6)}&to=${day(0)}`;
const TRICKY = '=cmd("x"), with comma';

/** A small RFC 4180 reader for the test: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('dashboard content table, insights and CSV export', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  const ids: Record<string, string> = {};

  const get = (path: string, token = admin.token) =>
    app.http().get(`/usage-analytics${path}`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    app = await bootApp();
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
    ids.rising = await publishArticle(app, 'Rising star');
    ids.fading = await publishArticle(app, 'Fading news');
    ids.tricky = await publishArticle(app, TRICKY);
    ids.never = await publishArticle(app, 'Never read');
    await flushPlugin(app);
    const row = (doc: string, back: number, pageviews: number, visitors: number, extra = {}) => ({
      day: day(back),
      content_type: 'api::article.article',
      document_id: ids[doc],
      locale: 'en',
      pageviews,
      api_reads: 0,
      visitors,
      engagements: 0,
      engaged_ms: 0,
      events: 0,
      ...extra,
    });
    await insertContentRows(knex, 'ua_content_daily', [
      row('rising', 3, 6, 4, { engagements: 2, engaged_ms: 60_000 }),
      row('rising', 10, 1, 1),
      row('fading', 10, 8, 5),
      row('fading', 3, 2, 2),
      row('fading', 40, 20, 9),
      row('tricky', 3, 3, 3, { api_reads: 1 }),
    ]);
  });
  afterAll(() => app?.stop());

  it('sorts and pages every entry viewed in the range, with a trend per row', async () => {
    const byViews = await get(`/content-table?${RANGE}`);
    expect(byViews.status).toBe(200);
    const data = byViews.body.data as ContentTableResponse['data'];
    expect(data).toMatchObject({ sort: 'views', order: 'desc', limit: 10, offset: 0, total: 3 });
    expect(data.rows.map((r) => [r.title, r.views, r.visitors, r.avgEngagedSeconds])).toEqual([
      ['Rising star', 6, 4, 10],
      [TRICKY, 4, 3, 0],
      ['Fading news', 2, 2, 0],
    ]);
    expect(data.rows[0].trend).toEqual([0, 0, 0, 6, 0, 0, 0]);

    const byVisitors = await get(`/content-table?${RANGE}&sort=visitors&order=asc&limit=2`);
    expect(byVisitors.body.data.rows.map((r: { title: string }) => r.title)).toEqual([
      'Fading news',
      TRICKY,
    ]);
    const secondPage = await get(
      `/content-table?${RANGE}&sort=visitors&order=asc&limit=2&offset=2`
    );
    expect(secondPage.body.data).toMatchObject({ total: 3, offset: 2 });
    expect(secondPage.body.data.rows.map((r: { title: string }) => r.title)).toEqual([
      'Rising star',
    ]);
    const byEngaged = await get(`/content-table?${RANGE}&sort=engaged`);
    expect(byEngaged.body.data.rows[0].title).toBe('Rising star');
  });

  it('finds the never-viewed, the decaying and the movers', async () => {
    const res = await get(`/insights?${RANGE}`);
    expect(res.status).toBe(200);
    const data = res.body.data as InsightsResponse['data'];
    expect(data.neverViewed.map((e) => [e.title, e.documentId])).toEqual([
      ['Never read', ids.never],
    ]);
    // Last 28 days: 8 + 2 views; the 28 before: 20.
    expect(data.decaying.map((m) => [m.title, m.previous, m.current, m.change])).toEqual([
      ['Fading news', 20, 10, -10],
    ]);
    expect(data.movers.gains.map((m) => [m.title, m.change])).toEqual([
      ['Rising star', 5],
      [TRICKY, 4],
    ]);
    expect(data.movers.losses.map((m) => [m.title, m.previous, m.current])).toEqual([
      ['Fading news', 8, 2],
    ]);
  });

  it('marks today’s publications for the chart', async () => {
    const res = await get(`/editorial?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.body.data.marks).toHaveLength(1);
    expect(res.body.data.marks[0].t).toBe(`${day(0)}T00:00:00.000Z`);
    expect(res.body.data.marks[0].published.map((e: { title: string }) => e.title).sort()).toEqual(
      ['Fading news', 'Never read', 'Rising star', TRICKY].sort()
    );
  });

  it('exports every content row as CSV, equal to the API, quoted and formula-safe', async () => {
    const res = await get(`/export/content.csv?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="usage-analytics-content-${day(6)}_${day(0)}.csv"`
    );
    const text = res.text;
    expect(text).toContain(`"'=cmd(""x""), with comma"`);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'content_type',
      'document_id',
      'locale',
      'title',
      'views',
      'tracker_pageviews',
      'api_reads',
      'visitors',
      'avg_engaged_seconds',
      'events',
    ]);
    const table = (await get(`/content-table?${RANGE}`)).body.data as ContentTableResponse['data'];
    expect(rows).toEqual(
      table.rows.map((r) => [
        r.contentType,
        r.documentId,
        r.locale ?? '',
        r.title === TRICKY ? `'${TRICKY}` : (r.title ?? ''),
        String(r.views),
        String(r.trackerPageviews),
        String(r.apiReads),
        String(r.visitors),
        String(r.avgEngagedSeconds),
        String(r.events),
      ])
    );
  });

  it('exports the time series as CSV, equal to the overview', async () => {
    const res = await get(`/export/series.csv?${RANGE}&contentType=api::article.article`);
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['time', 'pageviews', 'visitors']);
    const overview = await get(`/overview?${RANGE}&contentType=api::article.article`);
    expect(rows).toEqual(
      overview.body.data.series.map((p: { t: string; pageviews: number; visitors: number }) => [
        p.t,
        String(p.pageviews),
        String(p.visitors),
      ])
    );
    expect(rows.reduce((sum, r) => sum + Number(r[1]), 0)).toBe(12);
  });

  it('requires the export permission for the CSV routes, read for the rest', async () => {
    const reader = await adminSession(app, { actions: [PERMISSIONS.read] });
    const exporter = await adminSession(app, { actions: [PERMISSIONS.read, PERMISSIONS.export] });
    const editor = await adminSession(app, { code: 'strapi-editor' });
    for (const path of ['/export/content.csv', '/export/series.csv']) {
      expect([path, (await get(path, reader.token)).status]).toEqual([path, 403]);
      expect([path, (await get(path, exporter.token)).status]).toEqual([path, 200]);
      expect([path, (await app.http().get(`/usage-analytics${path}`)).status]).toEqual([path, 401]);
    }
    for (const path of ['/content-table', '/insights', '/editorial']) {
      expect([path, (await get(path, reader.token)).status]).toEqual([path, 200]);
      expect([path, (await get(path, editor.token)).status]).toEqual([path, 403]);
    }
  });

  it.each([
    ['/insights?from=yesterday', 'from'],
    ['/insights?from=2026-05-01&to=2026-04-01', 'from must be before to'],
    ['/insights?page=2', 'page'],
    ['/content-table?sort=title', 'sort'],
    ['/content-table?limit=0', 'limit'],
    ['/content-table?limit=500', 'limit'],
    ['/content-table?offset=-1', 'offset'],
    ['/editorial?interval=minute', 'interval'],
    ['/export/content.csv?from=2020-01-01&to=2026-01-01', 'at most 800 days'],
    ['/export/series.csv?contentType=article', 'contentType'],
  ])('answers 400 with a reason to %s', async (path, reason) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(reason);
  });
});
