import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  ARTIFACT_SCREENSHOTS,
  DEVELOP,
  adminApi,
  asVisitor,
  dismissBanners,
  logIn,
  openAdminPage,
  poll,
  registerFirstAdmin,
  registerInvitedAdmin,
  roleId,
  screenshot,
  screenshotBothThemes,
  seededArticles,
  sendTrack,
  startAdminApp,
  stopAdminApp,
} from '../helpers/admin-browser';
import { CONTENT_MANAGER_NOISE, STRAPI_CORE_WARNINGS, launchChromium } from '../helpers/browser';
import type { ContentStatsResponse } from '../../shared/contracts/stats';
import type { HealthResponse } from '../../shared/contracts/health';
import { PLUGIN_ID } from '../../shared/permissions';
import { HOUR_MS } from '../../shared/time';
import { formatDuration } from '../../admin/src/format-duration';
import { presetRange } from '../../admin/src/range-presets';
import type { ServerProcess } from '../helpers/server-process';

// The entry panel in the Content Manager and the system health page as a user sees them: the test
// app built with its admin panel, started with `strapi start` (or `develop` with E2E_DEVELOP=1)
// on a fresh SQLite file, traffic sent over HTTP, then Debian's chromium reads what is on screen.

const PORT = Number(process.env.E2E_PORT ?? 1480);
const ARTICLE = 'api::article.article';
const SUPER = { email: 'e2e.admin@example.test', password: 'E2e-password-1' };
const EDITOR = { email: 'e2e.editor@example.test', password: 'E2e-password-2' };
const TRACKER_VISITORS = 3;
const API_READS = 2;
const VIEWS = TRACKER_VISITORS + API_READS;
const SLOW_PROBES = 3;
// Slower than any admin route on a busy machine, so it ranks among the ten slowest.
const PROBE_MS = 1000;
const DB_FILE = `.tmp/e2e-entry-health-${process.pid}.db`;

const CONSOLE_NOISE = [...STRAPI_CORE_WARNINGS, ...CONTENT_MANAGER_NOISE];
// Strapi's light theme (@strapi/design-system): primary600, the first line of every chart.
const PRIMARY_600 = [0x49, 0x45, 0xff];
const SUCCESS_600 = [0x32, 0x80, 0x48];
const FIRST_LINE: Record<string, number[]> = {
  throughput: PRIMARY_600,
  latency: SUCCESS_600,
  cpu: PRIMARY_600,
  memory: PRIMARY_600,
  'event-loop': PRIMARY_600,
  'error-rate': [0xd0, 0x2b, 0x20],
};

// `strapi develop` serves the admin through Vite, which compiles it on the first visit: slow on a
// busy machine, so its pages get longer to appear.
jest.setTimeout(DEVELOP ? 480_000 : 240_000);
const PAGE_TIMEOUT = DEVELOP ? 120_000 : 30_000;

/**
 * Pixels of about this colour drawn by the element with this test id: a chart's canvas inside
 * it, or an SVG drawing (the sparkline), painted onto a canvas at its size on screen first. With
 * `belowLegend`, the rows of the legend's swatch of that colour (the first rows that hold it) are
 * left out, so only the chart's own line or dot counts, wherever the data puts it.
 */
const colourPixels = (page: Page, testId: string, rgb: number[], belowLegend = false) =>
  page.evaluate(`(async () => {
    const [r, g, b] = ${JSON.stringify(rgb)};
    const el = document.querySelector('[data-testid="${testId}"]');
    let c = el && el.querySelector('canvas');
    if (el && el.tagName.toLowerCase() === 'svg') {
      const { width, height } = el.getBoundingClientRect();
      const copy = el.cloneNode(true);
      copy.setAttribute('width', String(width));
      copy.setAttribute('height', String(height));
      const img = new Image();
      img.src = 'data:image/svg+xml;charset=utf-8,' +
        encodeURIComponent(new XMLSerializer().serializeToString(copy));
      await img.decode();
      c = document.createElement('canvas');
      c.width = Math.round(width);
      c.height = Math.round(height);
      c.getContext('2d').drawImage(img, 0, 0);
    }
    if (!c || !c.width || !c.height) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const rows = [];
    for (let y = 0; y < c.height; y += 1) {
      let n = 0;
      for (let i = y * c.width * 4; i < (y + 1) * c.width * 4; i += 4) {
        if (d[i + 3] > 128 && Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 60) n += 1;
      }
      rows.push(n);
    }
    let from = 0;
    if (${belowLegend}) {
      while (from < rows.length && rows[from] === 0) from += 1;
      while (from < rows.length && rows[from] > 0) from += 1;
    }
    return rows.slice(from).reduce((a, n) => a + n, 0);
  })()`) as Promise<number>;

describe('entry panel and system health in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let adminToken: string;
  let article: { documentId: string; title: string };
  const consoleErrors: string[] = [];

  const api = adminApi(
    () => server.url,
    () => adminToken
  );

  /** A fresh page that reports console errors and lists the requests sent to the plugin's API. */
  const openPage = async (width = 1440, height = 900) => {
    const page = await openAdminPage(browser, {
      consoleErrors,
      ignore: CONSOLE_NOISE,
      withPageUrl: true,
      viewport: { width, height },
      timeout: PAGE_TIMEOUT,
    });
    const pluginRequests: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      const route = decodeURIComponent(url.pathname);
      if (route.startsWith('/usage-analytics/')) pluginRequests.push(route);
    });
    return { page, pluginRequests };
  };

  const editView = () =>
    `${server.url}/admin/content-manager/collection-types/${ARTICLE}/${article.documentId}?plugins[i18n][locale]=en`;

  // Three browser visitors view the article (one view each, with engaged time), two other
  // visitors read it through the Content API; the slow probe route answers after a second.
  const sendTraffic = async () => {
    for (let v = 0; v < TRACKER_VISITORS; v += 1) {
      for (const body of [
        { type: 'pageview' },
        { type: 'engagement', engagedMs: 30_000 + 15_000 * v, scrollDepth: 70 },
      ]) {
        const res = await sendTrack(server.url, `203.0.113.${20 + v}`, {
          url: `https://site.example/articles/${article.documentId}`,
          contentType: ARTICLE,
          documentId: article.documentId,
          locale: 'en',
          ...body,
        });
        expect(res.status).toBe(202);
      }
    }
    for (let i = 0; i < API_READS; i += 1) {
      const res = await asVisitor(
        server.url,
        `/api/articles/${article.documentId}`,
        `203.0.113.${120 + i}`
      );
      expect(res.status).toBe(200);
    }
    for (let i = 0; i < SLOW_PROBES; i += 1) {
      expect((await fetch(`${server.url}/api/probe/slow?ms=${PROBE_MS}`)).status).toBe(200);
    }
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACT_SCREENSHOTS, { recursive: true });
    server = await startAdminApp(PORT, DB_FILE, { SEED_CONTENT: 'true' });
    adminToken = await registerFirstAdmin(api, SUPER, { firstname: 'E2E', lastname: 'Admin' });
    article = (await seededArticles(api))[0];

    // An edit through the Content Manager: editorial activity the panel lists.
    const updated = await api(
      `/content-manager/collection-types/${ARTICLE}/${article.documentId}?locale=en`,
      { method: 'PUT', body: JSON.stringify({ title: article.title }) }
    );
    expect(updated.status).toBe(200);

    // Sent early: request statistics reach the database when their minute closes.
    await sendTraffic();
    browser = await launchChromium();
  });

  afterAll(() => stopAdminApp(server, browser, DB_FILE));

  it("shows the entry's 30-day numbers from the stats API, a sparkline and recent activity", async () => {
    const range = presetRange('30d');
    const statsRoute = `/usage-analytics/content/${ARTICLE}/${article.documentId}?from=${range.from}&to=${range.to}&locale=en`;
    // Events are buffered and flushed about every second; wait until the API sees them all.
    const stats = await poll(
      async () => (await api<ContentStatsResponse>(statsRoute)).body.data,
      (s) => s.totals.views >= VIEWS && s.editorial.some((e) => e.action === 'update')
    );
    expect(stats.totals).toMatchObject({ views: VIEWS, visitors: VIEWS });
    expect(stats.totals.avgEngagedSeconds).toBeGreaterThan(0);

    const { page, pluginRequests } = await openPage();
    await logIn(page, server.url, SUPER);
    await page.goto(editView());
    const panel = page.getByTestId('entry-stats');
    await panel.waitFor();
    await page.getByRole('heading', { name: 'Usage (last 30 days)' }).waitFor();

    // The panel shows what the stats API answers for the same entry, locale and range.
    await expect(page.getByTestId('entry-views').textContent()).resolves.toBe(String(VIEWS));
    await expect(page.getByTestId('entry-visitors').textContent()).resolves.toBe(
      String(stats.totals.visitors)
    );
    await expect(page.getByTestId('entry-engaged').textContent()).resolves.toBe(
      formatDuration(stats.totals.avgEngagedSeconds)
    );
    expect(await colourPixels(page, 'entry-sparkline', PRIMARY_600)).toBeGreaterThan(100);
    await panel.getByTestId('entry-activity').filter({ hasText: 'Updated' }).first().waitFor();
    await expect(panel.getByTestId('entry-activity').count()).resolves.toBe(
      Math.min(5, stats.editorial.length)
    );

    // One request to open the entry; reopening it within the cache's lifetime sends none.
    // The panel's requests (the list view's column asks for its own settings on the way).
    const panelRequests = () =>
      pluginRequests.filter((r) => !r.startsWith('/usage-analytics/list-view/'));
    expect(panelRequests()).toEqual([`/usage-analytics/content/${ARTICLE}/${article.documentId}`]);
    // To the list view and back to the entry, inside the single-page app (no reload).
    await page.getByRole('link', { name: 'Back' }).click();
    await page.waitForURL((url) => !url.pathname.includes(article.documentId));
    await page.goBack();
    await page.waitForURL((url) => url.pathname.includes(article.documentId));
    await panel.waitFor();
    await expect(page.getByTestId('entry-views').textContent()).resolves.toBe(String(VIEWS));
    expect(panelRequests()).toHaveLength(1);

    if (!DEVELOP) {
      await dismissBanners(page);
      await screenshot(page, 'entry-panel');
    }

    // A single type has the panel too; the seeded homepage has had no views.
    await page.goto(
      `${server.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`
    );
    await page.getByTestId('entry-no-views').getByText('No views in the last 30 days').waitFor();
    await panel.getByTestId('entry-activity').filter({ hasText: 'Published' }).first().waitFor();
    await expect(page.getByTestId('entry-sparkline').count()).resolves.toBe(0);
    expect(panelRequests()[1]).toMatch(
      /^\/usage-analytics\/content\/api::homepage\.homepage\/\w+$/
    );
    await page.context().close();
  });

  it('shows system health: throughput, drawn charts, the slow probe route, uptime and pipeline', async () => {
    // Request statistics are written when their minute closes: wait for every probe's minute to
    // land (the probes can straddle a minute boundary, so the route can first show fewer).
    const health = await poll(
      async () => {
        const from = new Date(Date.now() - HOUR_MS).toISOString();
        return (await api<HealthResponse>(`/usage-analytics/health?from=${from}`)).body.data;
      },
      // …and for resource samples (every 15 s by default) for the per-instance charts.
      (h) =>
        h.slowestRoutes.some((r) => r.route === '/api/probe/slow' && r.count >= SLOW_PROBES) &&
        h.resources.length > 0,
      { tries: 200, ms: 500 }
    );
    const probe = health.slowestRoutes.find((r) => r.route === '/api/probe/slow');
    expect(probe).toMatchObject({ method: 'GET', count: SLOW_PROBES });
    expect(probe!.p50).toBeGreaterThanOrEqual(PROBE_MS);
    expect(health.resources.length).toBeGreaterThan(0);

    const { page } = await openPage(1280, 900);
    await logIn(page, server.url, SUPER);
    // Reachable from the dashboard.
    await page.goto(`${server.url}/admin/plugins/usage-analytics`);
    await page.getByRole('link', { name: 'System health' }).click();
    await page.waitForURL(/\/admin\/plugins\/usage-analytics\/health/);
    await page.getByRole('combobox', { name: 'Period' }).click();
    await page.getByRole('option', { name: 'Last hour' }).click();
    await page.waitForURL(/[?&]range=1h/);

    const requests = page.getByTestId('health-requests').getByTestId('stat-value');
    await requests.waitFor();
    expect(Number((await requests.textContent())!.replace(/[^\d]/g, ''))).toBeGreaterThanOrEqual(
      health.totals.requests
    );
    // Each chart draws its first line (or, for a lone value, its dot) below the legend's swatch of
    // that colour, where an empty chart has no pixel of it (its grid and labels are grey).
    const drawn: Record<string, number> = {};
    for (const chart of Object.keys(FIRST_LINE)) {
      await page.getByTestId(`health-chart-${chart}`).locator('canvas').waitFor();
      drawn[chart] = await colourPixels(page, `health-chart-${chart}`, FIRST_LINE[chart], true);
    }
    expect(Object.entries(drawn).filter(([, pixels]) => pixels === 0)).toEqual([]);
    const slowRow = page
      .getByTestId('slowest-routes')
      .getByRole('row', { name: /GET \/api\/probe\/slow/ });
    await slowRow.waitFor();
    await expect(slowRow.locator('td').nth(1).textContent()).resolves.toBe(String(SLOW_PROBES));
    await expect(
      page.getByTestId('health-availability').getByTestId('stat-value').textContent()
    ).resolves.toMatch(/^\d+(\.\d+)? %$/);
    await expect(page.getByTestId('pipeline-accepted').textContent()).resolves.not.toMatch(/^0/);
    await expect(page.getByTestId('health-instance').count()).resolves.toBe(1);

    if (!DEVELOP) {
      await screenshotBothThemes(page, 'health', { width: 1280, height: 2350 }, () =>
        page.getByTestId('health-chart-latency').locator('canvas').waitFor()
      );
      await page.reload();
    }

    // On a narrow window every chart and the table stay inside the viewport.
    await page.setViewportSize({ width: 800, height: 1200 });
    await page.getByTestId('health-chart-throughput').locator('canvas').waitFor();
    const overflow = await page.evaluate(`(() => {
      const boxes = [...document.querySelectorAll('[data-testid^="health-chart-"], [data-testid="slowest-routes"]')];
      return boxes.filter((b) => b.getBoundingClientRect().right > window.innerWidth).length;
    })()`);
    expect(overflow).toBe(0);
    await page.screenshot({
      path: path.join(ARTIFACT_SCREENSHOTS, 'health-narrow.png'),
      fullPage: true,
    });
    await page.context().close();
  });

  it('an editor without the read permission sees no panel, and no request goes to the plugin', async () => {
    const editorRole = await roleId(api, 'strapi-editor');
    // The Editor role's rights on articles name no locale (so it may open none of them): add the
    // app's two, as an administrator would. It has nothing of the plugin.
    type Permission = {
      action: string;
      subject: string | null;
      properties: { fields?: string[]; locales?: string[] };
      conditions: string[];
    };
    const granted = await api<{ data: Permission[] }>(`/admin/roles/${editorRole}/permissions`);
    const actions = granted.body.data.map((p) => p.action);
    expect(actions).toContain('plugin::content-manager.explorer.read');
    expect(actions.filter((a) => a.startsWith(`plugin::${PLUGIN_ID}.`))).toEqual([]);
    const updated = await api(`/admin/roles/${editorRole}/permissions`, {
      method: 'PUT',
      body: JSON.stringify({
        permissions: granted.body.data.map(({ action, subject, properties, conditions }) => ({
          action,
          subject,
          properties: subject === ARTICLE ? { ...properties, locales: ['en', 'fr'] } : properties,
          conditions,
        })),
      }),
    });
    expect(updated.status).toBe(200);
    const editorToken = await registerInvitedAdmin(api, EDITOR, 'Editor', editorRole);
    const statsRoute = `/usage-analytics/content/${ARTICLE}/${article.documentId}`;
    await expect(api(statsRoute, {}, editorToken)).resolves.toMatchObject({ status: 403 });

    const { page, pluginRequests } = await openPage();
    await logIn(page, server.url, EDITOR);
    await page.goto(editView());
    // The edit view is up (its form and its own side panel), and everything it asked for answered.
    await page.locator('input[name="title"]').waitFor();
    await page.getByRole('heading', { name: 'Entry', exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await expect(page.getByTestId('entry-stats').count()).resolves.toBe(0);
    await expect(page.getByText('Usage (last 30 days)').count()).resolves.toBe(0);
    expect(pluginRequests).toEqual([]);
    await page.context().close();
  });

  it('logged no console errors or React warnings', () => {
    expect(consoleErrors).toEqual([]);
  });
});
