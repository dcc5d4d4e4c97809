import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import type { ContentTableResponse, InsightsResponse } from '../../shared/contracts/insights';
import type { OverviewResponse } from '../../shared/contracts/stats';
import { PERMISSIONS } from '../../shared/permissions';
import {
  DEVELOP,
  adminApi,
  asVisitor,
  dismissBanners,
  logIn,
  openAdminPage,
  poll,
  registerFirstAdmin,
  registerInvitedAdmin,
  screenshot,
  seededArticles,
  sleep,
  startAdminApp,
  stopAdminApp,
} from '../helpers/admin-browser';
import { launchChromium } from '../helpers/browser';
import type { ServerProcess } from '../helpers/server-process';
import { daysAgo } from '../helpers/days';

// The dashboard's custom range, sortable paged content table, editorial marks, insights and CSV
// export, in Debian's chromium against the test app (`strapi start`, or `develop` with
// E2E_DEVELOP=1, where React warnings and console errors fail the last test).

const PORT = Number(process.env.E2E_PORT ?? 1487);
const SUPER = { email: 'more.admin@example.test', password: 'E2e-password-1' };
const READER = { email: 'more.reader@example.test', password: 'E2e-password-3' };
const DB_FILE = `.tmp/e2e-dashboard-more-${process.pid}.db`;

// `strapi develop` compiles the app and loads Strapi twice before it answers (see startServer).
jest.setTimeout(DEVELOP ? 480_000 : 240_000);
/** What `read` gives once the page has re-rendered (it re-renders after the next page loads). */
async function settled<T>(read: () => Promise<T>, expected: T): Promise<T> {
  let value = await read();
  for (
    let tries = 0;
    tries < 40 && JSON.stringify(value) !== JSON.stringify(expected);
    tries += 1
  ) {
    await sleep(250);
    value = await read();
  }
  return value;
}

describe('dashboard: custom range, table, marks, insights, export', () => {
  let server: ServerProcess;
  let browser: Browser;
  let token: string;
  let articles: Array<{ documentId: string; title: string }>;
  const consoleErrors: string[] = [];

  const api = adminApi(
    () => server.url,
    () => token
  );

  const openPage = () =>
    openAdminPage(browser, {
      consoleErrors,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });

  beforeAll(async () => {
    server = await startAdminApp(PORT, DB_FILE, { SEED_CONTENT: 'true' });
    token = await registerFirstAdmin(api, SUPER, { firstname: 'E2E', lastname: 'Admin' });
    articles = await seededArticles(api);
    expect(articles).toHaveLength(10);

    // Nine articles read 1..9 times (one visitor per read), the three pages once each: twelve
    // rows for the table; the tenth article is published and never read.
    let ip = 1;
    const read = async (route: string) => {
      const res = await asVisitor(server.url, route, `203.0.113.${ip++}`);
      expect(res.status).toBe(200);
    };
    for (const [i, a] of articles.slice(0, 9).entries()) {
      for (let r = 0; r <= i; r += 1) await read(`/api/articles/${a.documentId}`);
    }
    const pages = (await api<{ data: Array<{ documentId: string }> }>('/api/pages', {}, '')).body
      .data;
    for (const p of pages) await read(`/api/pages/${p.documentId}`);
    // Wait for the buffered events to reach the API.
    await poll(
      async () => (await api<OverviewResponse>('/usage-analytics/overview')).body.data,
      (o) => o.totals.pageviews >= 45 + pages.length
    );
    browser = await launchChromium();
  });

  afterAll(() => stopAdminApp(server, browser, DB_FILE));

  it('a custom range in the URL shows the API’s numbers; the table sorts and pages', async () => {
    const page = await openPage();
    await logIn(page, server.url, SUPER);
    await page.goto(`${server.url}/admin/plugins/usage-analytics`);
    await page.getByRole('combobox', { name: 'Period' }).click();
    await page.getByRole('option', { name: 'Custom range' }).click();
    // A custom range starts as the period shown so far (the last 7 days)…
    await page.waitForURL(new RegExp(`range=custom&from=${daysAgo(6)}&to=${daysAgo(0)}`));
    // …and a date typed into the "From" picker moves it, in the URL too.
    const from = daysAgo(2);
    const to = daysAgo(0);
    const [y, m, d] = from.split('-');
    const fromInput = page.getByRole('combobox', { name: 'From' });
    await fromInput.fill(`${m}/${d}/${y}`);
    // The picker takes a typed date when the field loses focus.
    await fromInput.blur();
    await page.waitForURL(new RegExp(`range=custom&from=${from}&to=${to}`));
    const overview = (
      await api<OverviewResponse>(`/usage-analytics/overview?from=${from}&to=${to}`)
    ).body.data;
    const kpi = (key: string) => page.getByTestId(`kpi-${key}`).getByTestId('kpi-value');
    await expect(kpi('pageviews').textContent()).resolves.toBe(String(overview.totals.pageviews));
    await expect(kpi('visitors').textContent()).resolves.toBe(String(overview.totals.visitors));

    // An impossible range says so instead of asking the API.
    await page.goto(
      `${server.url}/admin/plugins/usage-analytics?range=custom&from=${to}&to=${from}`
    );
    await page.getByTestId('range-error').getByText('on or before the end date').waitFor();

    await page.goto(
      `${server.url}/admin/plugins/usage-analytics?range=custom&from=${from}&to=${to}`
    );
    const table = page.getByTestId('top-content');
    const titles = () =>
      table.locator('tbody tr td:first-child a').allTextContents() as Promise<string[]>;
    const apiTable = async (q: string) =>
      (await api<ContentTableResponse>(`/usage-analytics/content-table?from=${from}&to=${to}&${q}`))
        .body.data;
    const first = await apiTable('sort=views&order=desc');
    await table.getByText(`1–10 of ${first.total}`).waitFor();
    expect(first.total).toBe(12);
    await expect(titles()).resolves.toEqual(first.rows.map((r) => r.title));
    await expect(table.getByTestId('sparkline').count()).resolves.toBe(10);

    await table.getByRole('button', { name: 'Sort by Views' }).click();
    await page.waitForURL(/order=asc/);
    const ascending = await apiTable('sort=views&order=asc');
    expect(
      await settled(
        titles,
        ascending.rows.map((r) => r.title)
      )
    ).toEqual(ascending.rows.map((r) => r.title));

    await table.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    const second = await apiTable('sort=views&order=asc&offset=10');
    await table.getByText(`11–12 of 12`).waitFor();
    expect(
      await settled(
        titles,
        second.rows.map((r) => r.title)
      )
    ).toEqual(second.rows.map((r) => r.title));

    // The seeded articles were published today: a mark on the chart, named under it.
    const marks = page.getByTestId('editorial-marks');
    await marks
      .getByText(/published/)
      .first()
      .waitFor();
    // The homepage was the seed's last publication; eleven entries were published in all.
    await expect(marks.textContent()).resolves.toMatch(
      /published Welcome to the demo site, .+ and 8 more/
    );

    // Insights list the published article nobody read.
    const insights = (
      await api<InsightsResponse>(`/usage-analytics/insights?from=${from}&to=${to}`)
    ).body.data;
    const never = articles[9].title;
    expect(insights.neverViewed.map((e) => e.title)).toContain(never);
    await page.getByTestId('insights-neverViewed').getByRole('link', { name: never }).waitFor();

    if (!DEVELOP) {
      await dismissBanners(page);
      await page.goto(
        `${server.url}/admin/plugins/usage-analytics?range=custom&from=${from}&to=${to}`
      );
      await table.getByText(`1–10 of 12`).waitFor();
      // The admin scrolls inside its layout, so a tall window shows the whole page.
      await page.setViewportSize({ width: 1280, height: 2350 });
      await screenshot(page, 'dashboard-more');
      await page.setViewportSize({ width: 800, height: 3450 });
      await table.getByText(`1–10 of 12`).waitFor();
      await screenshot(page, 'dashboard-narrow');
    }
    await page.context().close();
  });

  it('a super admin downloads the content CSV, equal to the API', async () => {
    const from = daysAgo(2);
    const to = daysAgo(0);
    const page = await openPage();
    await logIn(page, server.url, SUPER);
    await page.goto(
      `${server.url}/admin/plugins/usage-analytics?range=custom&from=${from}&to=${to}`
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export content (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`usage-analytics-content-${from}_${to}.csv`);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'content_type,document_id,locale,title,views,tracker_pageviews,api_reads,visitors,avg_engaged_seconds,events'
    );
    const all = (
      await api<ContentTableResponse>(
        `/usage-analytics/content-table?from=${from}&to=${to}&limit=100`
      )
    ).body.data;
    expect(
      lines.slice(1).map((l) => l.split(',').slice(0, 2).concat(l.split(',').slice(-6, -5)))
    ).toEqual(all.rows.map((r) => [r.contentType, r.documentId, String(r.views)]));
    await page.context().close();
  });

  it('a read-only role sees the dashboard without the Export buttons', async () => {
    const role = await api<{ data: { id: number } }>('/admin/roles', {
      method: 'POST',
      body: JSON.stringify({ name: 'Analytics reader', description: 'read only' }),
    });
    expect(role.status).toBe(201);
    const assigned = await api(`/admin/roles/${role.body.data.id}/permissions`, {
      method: 'PUT',
      body: JSON.stringify({
        permissions: [{ action: PERMISSIONS.read, subject: null, properties: {}, conditions: [] }],
      }),
    });
    expect(assigned.status).toBe(200);
    await registerInvitedAdmin(api, READER, 'Reader', role.body.data.id);

    const page = await openPage();
    await logIn(page, server.url, READER);
    await page.goto(`${server.url}/admin/plugins/usage-analytics`);
    await page.getByTestId('top-content').waitFor();
    await page.getByTestId('insights').waitFor();
    await expect(page.getByRole('button', { name: 'Export content (CSV)' }).count()).resolves.toBe(
      0
    );
    await page.context().close();
  });

  it('logged no console errors or React warnings', () => {
    expect(consoleErrors).toEqual([]);
  });
});
