import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ContentTableResponse, InsightsResponse } from '../../shared/contracts/insights';
import type { OverviewResponse } from '../../shared/contracts/stats';
import { PERMISSIONS } from '../../shared/permissions';
import { STRAPI_CORE_WARNINGS, launchChromium } from '../helpers/browser';
import { BROWSER_UA } from '../helpers/content';
import { startServer, type ServerProcess } from '../helpers/server-process';

// The dashboard's custom range, sortable paged content table, editorial marks, insights and CSV
// export, in Debian's chromium against the test app (`strapi start`, or `develop` with
// E2E_DEVELOP=1, where React warnings and console errors fail the last test).

const PORT = Number(process.env.E2E_PORT ?? 1487);
const DEVELOP = process.env.E2E_DEVELOP === '1';
const SUPER = { email: 'more.admin@example.test', password: 'E2e-password-1' };
const READER = { email: 'more.reader@example.test', password: 'E2e-password-3' };
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots')
    : path.resolve(__dirname, '..', 'artifacts', 'screenshots');
const DB_FILE = `.tmp/e2e-dashboard-more-${process.pid}.db`;
const DAY_MS = 86_400_000;
const isoDay = (back: number) =>
  new Date(Date.now() - (Date.now() % DAY_MS) - back * DAY_MS).toISOString().slice(0, 10);

jest.setTimeout(240_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
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

  const api = async <T>(route: string, init: RequestInit = {}, auth = token) => {
    const res = await fetch(`${server.url}${route}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...init.headers,
      },
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as T };
  };

  const openPage = async (width = 1280, height = 900) => {
    const context = await browser.newContext({
      userAgent: BROWSER_UA,
      viewport: { width, height },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      const line = `${msg.type()}: ${msg.text()} (${msg.location().url})`;
      if (!STRAPI_CORE_WARNINGS.some((known) => known.test(line))) consoleErrors.push(line);
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    return page;
  };

  const logIn = async (page: Page, who: { email: string; password: string }) => {
    await page.goto(`${server.url}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(who.email);
    await page.locator('input[name="password"]').fill(who.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
  };

  beforeAll(async () => {
    const appDir = path.resolve(__dirname, '..', 'app');
    fs.rmSync(path.join(appDir, DB_FILE), { force: true });
    server = await startServer(
      PORT,
      {
        NODE_ENV: DEVELOP ? 'development' : 'production',
        DB_CLIENT: 'sqlite',
        DATABASE_FILENAME: DB_FILE,
        SEED_CONTENT: 'true',
        TRUST_PROXY: 'true',
      },
      DEVELOP ? 'develop' : 'start'
    );
    const registered = await api<{ data: { token: string } }>(
      '/admin/register-admin',
      { method: 'POST', body: JSON.stringify({ ...SUPER, firstname: 'E2E', lastname: 'Admin' }) },
      ''
    );
    expect(registered.status).toBe(200);
    token = registered.body.data.token;
    articles = (
      await api<{ data: Array<{ documentId: string; title: string }> }>(
        '/api/articles?sort=title:asc',
        {},
        ''
      )
    ).body.data;
    expect(articles).toHaveLength(10);

    // Nine articles read 1..9 times (one visitor per read), the three pages once each: twelve
    // rows for the table; the tenth article is published and never read.
    let ip = 1;
    const read = async (route: string) => {
      const res = await fetch(`${server.url}${route}`, {
        headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': `203.0.113.${ip++}` },
      });
      expect(res.status).toBe(200);
    };
    for (const [i, a] of articles.slice(0, 9).entries()) {
      for (let r = 0; r <= i; r += 1) await read(`/api/articles/${a.documentId}`);
    }
    const pages = (await api<{ data: Array<{ documentId: string }> }>('/api/pages', {}, '')).body
      .data;
    for (const p of pages) await read(`/api/pages/${p.documentId}`);
    // Wait for the buffered events to reach the API.
    for (let tries = 0; tries < 40; tries += 1) {
      const o = (await api<OverviewResponse>('/usage-analytics/overview')).body.data;
      if (o.totals.pageviews >= 45 + pages.length) break;
      await sleep(250);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(path.resolve(__dirname, '..', 'app', DB_FILE), { force: true });
  });

  it('a custom range in the URL shows the API’s numbers; the table sorts and pages', async () => {
    const page = await openPage();
    await logIn(page, SUPER);
    await page.goto(`${server.url}/admin/plugins/usage-analytics`);
    await page.getByRole('combobox', { name: 'Period' }).click();
    await page.getByRole('option', { name: 'Custom range' }).click();
    // A custom range starts as the period shown so far (the last 7 days)…
    await page.waitForURL(new RegExp(`range=custom&from=${isoDay(6)}&to=${isoDay(0)}`));
    // …and a date typed into the "From" picker moves it, in the URL too.
    const from = isoDay(2);
    const to = isoDay(0);
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
      const dismiss = page.getByRole('button', { name: 'Close' });
      if (await dismiss.count()) await dismiss.first().click();
      await page.goto(
        `${server.url}/admin/plugins/usage-analytics?range=custom&from=${from}&to=${to}`
      );
      await table.getByText(`1–10 of 12`).waitFor();
      // The admin scrolls inside its layout, so a tall window shows the whole page.
      await page.setViewportSize({ width: 1280, height: 2350 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-more.png') });
      await page.setViewportSize({ width: 800, height: 3450 });
      await table.getByText(`1–10 of 12`).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-narrow.png') });
    }
    await page.context().close();
  });

  it('a super admin downloads the content CSV, equal to the API', async () => {
    const from = isoDay(2);
    const to = isoDay(0);
    const page = await openPage();
    await logIn(page, SUPER);
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
    const invited = await api<{ data: { registrationToken: string } }>('/admin/users', {
      method: 'POST',
      body: JSON.stringify({
        email: READER.email,
        firstname: 'E2E',
        lastname: 'Reader',
        roles: [role.body.data.id],
      }),
    });
    expect(invited.status).toBe(201);
    const registered = await api(
      '/admin/register',
      {
        method: 'POST',
        body: JSON.stringify({
          registrationToken: invited.body.data.registrationToken,
          userInfo: { firstname: 'E2E', lastname: 'Reader', password: READER.password },
        }),
      },
      ''
    );
    expect(registered.status).toBe(200);

    const page = await openPage();
    await logIn(page, READER);
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
