import type { SettingsResponse } from '../../shared/contracts/settings';
import path from 'node:path';
import knex from 'knex';
import type { Browser, Page } from 'playwright-core';
import {
  DEVELOP,
  adminApi,
  dismissBanners,
  asVisitor,
  logIn,
  openAdminPage,
  poll,
  registerFirstAdmin,
  registerInvitedAdmin,
  screenshotBothThemes,
  sendTrack,
  startAdminApp,
  stopAdminApp,
} from '../helpers/admin-browser';
import { STRAPI_CORE_WARNINGS, launchChromium } from '../helpers/browser';
import type { ContentTableResponse } from '../../shared/contracts/insights';
import type { OverviewResponse } from '../../shared/contracts/stats';
import { presetRange } from '../../admin/src/range-presets';
import type { ServerProcess } from '../helpers/server-process';
import { daysAgo } from '../helpers/days';
import { insertContentRows } from '../helpers/aggregates';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { APP_DIR } = require('../../scripts/app-env.cjs');

// The homepage widgets and the Content Manager's "Views (30 d)" column as users see them: the
// test app built with its admin panel, started with `strapi start` (or `develop` with
// E2E_DEVELOP=1), traffic sent over HTTP, and Debian's chromium reading the screen.

const PORT = Number(process.env.E2E_PORT ?? 1488);
const ARTICLE = 'api::article.article';
const SUPER = { email: 'e2e.widgets@example.test', password: 'E2e-password-1' };
const EDITOR = { email: 'e2e.widgets.editor@example.test', password: 'E2e-password-2' };
const DB_FILE = `.tmp/e2e-widgets-${process.pid}.db`;
// Views of the seeded articles (sorted by title) sent as tracker pageviews, one visitor each.
const TRAFFIC = [5, 3, 0, 2, 1, 0, 0, 0, 0, 0, 4, 1];
// The week before the last 7 days, and an older day still inside the 30 days of the column.
const PREVIOUS_WEEK = { pageviews: 4, visitors: 3 };
const OLDER_VIEWS = 6;

const CONSOLE_NOISE = [
  ...STRAPI_CORE_WARNINGS,
  /^error: Failed to load resource: .* 404 \(Not Found\) \(http:\/\/[^/]+\/(admin\/ai-feature-config|i18n\/ai-localization-jobs\/|content-manager\/preview\/url\/)/,
];

jest.setTimeout(DEVELOP ? 480_000 : 240_000);
const PAGE_TIMEOUT = DEVELOP ? 120_000 : 30_000;

const WIDGET_TITLES = ['Top content, last 7 days', 'Traffic, last 7 days'];

describe('homepage widgets and the list view column in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let adminToken: string;
  let articles: Array<{ documentId: string; title: string }>;
  const consoleErrors: string[] = [];

  const api = adminApi(
    () => server.url,
    () => adminToken
  );

  /** A fresh page, with the routes of the plugin's admin API it requests. */
  const openPage = async () => {
    const page = await openAdminPage(browser, {
      consoleErrors,
      ignore: CONSOLE_NOISE,
      withPageUrl: true,
      viewport: { width: 1440, height: 1000 },
      timeout: PAGE_TIMEOUT,
    });
    const pluginRequests: string[] = [];
    page.on('request', (req) => {
      const route = decodeURIComponent(new URL(req.url()).pathname);
      if (route.startsWith('/usage-analytics/')) pluginRequests.push(route);
    });
    return { page, pluginRequests };
  };

  // The Content Manager's table headers are grid cells, named by their text.
  const columnHeader = (page: Page, name: string) =>
    page.locator('thead th').filter({ hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) });

  const widget = (page: Page, title: string) =>
    page.locator('section').filter({ has: page.getByRole('heading', { name: title }) });

  const listView = (page = 1) =>
    `${server.url}/admin/content-manager/collection-types/${ARTICLE}?page=${page}&pageSize=10&sort=title:ASC&plugins[i18n][locale]=en`;

  /** The list's rows as shown: each entry's title and the text of its views cell. */
  const listRows = (page: Page) =>
    page.evaluate(`(() => {
      const headers = [...document.querySelectorAll('thead th')].map((th) => th.textContent.trim());
      const title = headers.indexOf('title');
      return [...document.querySelectorAll('tbody tr')].map((tr) => {
        const cells = [...tr.querySelectorAll('td')];
        const views = tr.querySelector('[data-testid="list-view-views"]');
        return { title: cells[title]?.textContent.trim(), views: views ? views.textContent.trim() : null };
      });
    })()`) as Promise<Array<{ title: string; views: string | null }>>;

  /** The dashboard content table's 30-day views of English articles, by title. */
  const dashboardViews = async () => {
    const range = presetRange('30d');
    const res = await api<ContentTableResponse>(
      `/usage-analytics/content-table?from=${range.from}&to=${range.to}&contentType=${ARTICLE}&locale=en&limit=100`
    );
    expect(res.status).toBe(200);
    return new Map(res.body.data.rows.map((r) => [r.title, r.views]));
  };

  beforeAll(async () => {
    server = await startAdminApp(PORT, DB_FILE, { SEED_CONTENT: 'true' });
    adminToken = await registerFirstAdmin(api, SUPER, { firstname: 'E2E', lastname: 'Widgets' });
    articles = (
      await api<{ results: Array<{ documentId: string; title: string }> }>(
        `/content-manager/collection-types/${ARTICLE}?page=1&pageSize=100&sort=title:ASC&locale=en`
      )
    ).body.results;
    expect(articles).toHaveLength(TRAFFIC.length);

    // Earlier days, as the rollup stores them (written before anything reads the stats): a week
    // before the widgets' 7 days, and 20 days back, inside the column's 30 days only.
    const db = knex({
      client: 'better-sqlite3',
      connection: { filename: path.join(APP_DIR, DB_FILE) },
      useNullAsDefault: true,
    });
    await db('ua_site_daily').insert({
      day: daysAgo(10),
      pageviews: PREVIOUS_WEEK.pageviews,
      api_reads: 0,
      visitors: PREVIOUS_WEEK.visitors,
      sessions: PREVIOUS_WEEK.visitors,
      bounces: 0,
      engaged_ms: 0,
      events: 0,
    });
    await insertContentRows(db, 'ua_content_daily', [
      {
        day: daysAgo(20),
        content_type: ARTICLE,
        document_id: articles[2].documentId,
        locale: 'en',
        pageviews: OLDER_VIEWS,
        api_reads: 0,
        visitors: 1,
        engagements: 0,
        engaged_ms: 0,
        events: 0,
      },
    ]);
    await db.destroy();

    let ip = 10;
    for (const [i, views] of TRAFFIC.entries()) {
      for (let v = 0; v < views; v += 1) {
        const res = await sendTrack(server.url, `203.0.113.${(ip += 1)}`, {
          type: 'pageview',
          url: `https://site.example/articles/${articles[i].documentId}`,
          contentType: ARTICLE,
          documentId: articles[i].documentId,
          locale: 'en',
        });
        expect(res.status).toBe(202);
      }
    }
    // A Content API read counts as a view too.
    expect(
      (await asVisitor(server.url, `/api/articles/${articles[0].documentId}`, '203.0.113.200'))
        .status
    ).toBe(200);
    browser = await launchChromium();
  });

  afterAll(() => stopAdminApp(server, browser, DB_FILE));

  it('shows the widgets with the numbers of the stats API, linked to the dashboard', async () => {
    const week = presetRange('7d');
    const expectedViews = TRAFFIC.reduce((a, b) => a + b, 0) + 1;
    const overview = await poll(
      async () =>
        (await api<OverviewResponse>(`/usage-analytics/overview?from=${week.from}&to=${week.to}`))
          .body.data,
      (o) => o.totals.pageviews >= expectedViews
    );
    expect(overview.totals).toMatchObject({ pageviews: expectedViews, visitors: expectedViews });
    expect(overview.previous).toMatchObject(PREVIOUS_WEEK);

    const { page } = await openPage();
    await logIn(page, server.url, SUPER);
    await page.goto(`${server.url}/admin`);
    const traffic = widget(page, 'Traffic, last 7 days');
    await traffic.getByTestId('widget-traffic-views').waitFor();

    const change = (now: number, before: number) =>
      `${new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format((now - before) / before)} vs the 7 days before`;
    const figure = (name: string) => traffic.getByTestId(`widget-traffic-${name}`);
    await expect(figure('views').getByTestId('widget-value').textContent()).resolves.toBe(
      String(overview.totals.pageviews)
    );
    await expect(figure('visitors').getByTestId('widget-value').textContent()).resolves.toBe(
      String(overview.totals.visitors)
    );
    await expect(figure('views').getByTestId('widget-change').textContent()).resolves.toBe(
      change(overview.totals.pageviews, overview.previous.pageviews)
    );
    await expect(figure('visitors').getByTestId('widget-change').textContent()).resolves.toBe(
      change(overview.totals.visitors, overview.previous.visitors)
    );
    await expect(traffic.getByTestId('sparkline').count()).resolves.toBe(1);

    const top = widget(page, 'Top content, last 7 days');
    await top.getByTestId('widget-top-row').first().waitFor();
    const shown = await top
      .getByTestId('widget-top-row')
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.querySelector('[data-testid="widget-top-title"]')?.textContent,
          r.querySelector('[data-testid="widget-top-views"]')?.textContent,
        ])
      );
    expect(shown).toEqual(
      overview.topContent
        .slice(0, 5)
        .map((r) => [r.title, `${r.views} view${r.views === 1 ? '' : 's'}`])
    );
    expect(shown[0]).toEqual([articles[0].title, '6 views']);

    if (!DEVELOP) {
      // Strapi's own widgets come first: scrolled down to the plugin's.
      const ready = async () => {
        await traffic.getByTestId('widget-traffic-views').waitFor();
        await traffic.scrollIntoViewIfNeeded();
      };
      await dismissBanners(page);
      await ready();
      // The README's come from the demo (`npm run demo:screenshots`).
      await screenshotBothThemes(page, 'widgets', { width: 1440, height: 1000 }, ready, {
        light: false,
        dark: false,
      });
    }

    // Each widget links to the dashboard's last 7 days.
    await traffic.getByRole('link', { name: 'Open the dashboard' }).click();
    await page.waitForURL(/\/admin\/plugins\/usage-analytics\?range=7d$/);
    await page.getByTestId('kpi-pageviews').getByText(String(overview.totals.pageviews)).waitFor();
    await page.context().close();
  });

  it("shows each entry's 30-day views in the list, as the dashboard does, with one request per page", async () => {
    const onDashboard = await poll(dashboardViews, (m) => m.get(articles[0].title) === 6);
    expect(onDashboard.get(articles[2].title)).toBe(OLDER_VIEWS);

    const { page, pluginRequests } = await openPage();
    await logIn(page, server.url, SUPER);
    const viewsRequests = () =>
      pluginRequests.filter((r) => r === '/usage-analytics/list-view/views');

    for (const pageNumber of [1, 2]) {
      const before = viewsRequests().length;
      await page.goto(listView(pageNumber));
      await columnHeader(page, 'Views (30 d)').waitFor();
      const rows = await poll(
        () => listRows(page),
        (r) => r.length > 0 && r.every((row) => /^\d+$/.test(row.views ?? ''))
      );
      expect(rows).toHaveLength(pageNumber === 1 ? 10 : 2);
      expect(rows).toEqual(
        rows.map((r) => ({ title: r.title, views: String(onDashboard.get(r.title) ?? 0) }))
      );
      expect(viewsRequests().length - before).toBe(1);
      if (pageNumber === 1) {
        expect(rows.slice(0, 3).map((r) => r.views)).toEqual(['6', '3', String(OLDER_VIEWS)]);
        if (!DEVELOP) {
          // The README's comes from the demo (`npm run demo:screenshots`).
          const ready = () => columnHeader(page, 'Views (30 d)').waitFor();
          await screenshotBothThemes(
            page,
            'list-view-column',
            { width: 1920, height: 900 },
            ready,
            { light: false, dark: false }
          );
        }
      }
    }

    // Not sortable, and the cells say so (on the production build: in the development admin an
    // overlay of Strapi's can sit over the first row while it hovers).
    if (!DEVELOP) {
      await page.getByTestId('list-view-views').first().hover();
      await page.getByRole('tooltip').getByText('The list cannot be sorted by views.').waitFor();
    }

    // Switched off on the settings page: gone from the next list view, without a reload.
    await page.goto(`${server.url}/admin/settings/usage-analytics`);
    await page.getByLabel('Views column in the Content Manager', { exact: true }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    await page.getByRole('link', { name: 'Content Manager' }).first().click();
    await page.getByRole('link', { name: 'Article' }).first().click();
    await columnHeader(page, 'title').waitFor();
    await expect(columnHeader(page, 'Views (30 d)').count()).resolves.toBe(0);
    const current = await api<SettingsResponse>('/usage-analytics/settings');
    const res = await api('/usage-analytics/settings', {
      method: 'PUT',
      body: JSON.stringify({ version: current.body.data.version, listViewColumn: null }),
    });
    expect(res.status).toBe(200);
    await page.context().close();
  });

  it('shows neither widgets nor column to a role without the read permission', async () => {
    // A role that reads articles in the Content Manager (every locale), without the plugin's read.
    const role = await api<{ data: { id: number } }>('/admin/roles', {
      method: 'POST',
      body: JSON.stringify({ name: 'Article readers', description: 'no analytics' }),
    });
    expect(role.status).toBe(201);
    const granted = await api(`/admin/roles/${role.body.data.id}/permissions`, {
      method: 'PUT',
      body: JSON.stringify({
        permissions: [
          {
            action: 'plugin::content-manager.explorer.read',
            subject: ARTICLE,
            properties: { fields: ['title', 'slug', 'body'], locales: ['en', 'fr'] },
            conditions: [],
          },
        ],
      }),
    });
    expect(granted.status).toBe(200);
    await registerInvitedAdmin(api, EDITOR, 'Reader', role.body.data.id);
    const { page, pluginRequests } = await openPage();
    await logIn(page, server.url, EDITOR);
    await page.goto(`${server.url}/admin`);
    // Strapi's own widgets are drawn; the plugin's are not (Strapi checks their permission).
    await page.getByRole('heading', { name: 'Last edited entries' }).waitFor();
    for (const title of WIDGET_TITLES) {
      await poll(
        () => page.getByRole('heading', { name: title }).count(),
        (n) => n === 0
      );
      await expect(page.getByRole('heading', { name: title }).count()).resolves.toBe(0);
    }

    await page.goto(listView(1));
    await columnHeader(page, 'title').waitFor();
    await page.getByRole('row').nth(10).waitFor();
    await expect(columnHeader(page, 'Views (30 d)').count()).resolves.toBe(0);
    await expect(page.getByTestId('list-view-views').count()).resolves.toBe(0);
    expect(pluginRequests).toEqual([]);
    await page.context().close();
    expect(consoleErrors).toEqual([]);
  });
});
