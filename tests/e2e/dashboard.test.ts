import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import type { OverviewResponse } from '../../shared/contracts/stats';
import {
  DEVELOP,
  adminApi,
  asVisitor,
  logIn,
  openAdminPage,
  poll,
  registerFirstAdmin,
  registerInvitedAdmin,
  roleId,
  screenshotBothThemes,
  seededArticles,
  sendTrack,
  startAdminApp,
  stopAdminApp,
} from '../helpers/admin-browser';
import type { ServerProcess } from '../helpers/server-process';

// The content dashboard as a user sees it: the test app built with its admin panel and started
// with `strapi start` on a fresh SQLite file, traffic sent over HTTP, then Debian's chromium
// (playwright-core) logs in, opens the dashboard and reads what is on screen.

const PORT = Number(process.env.E2E_PORT ?? 1486);
const ARTICLE = 'api::article.article';
const SUPER = { email: 'e2e.admin@example.test', password: 'E2e-password-1' };
const EDITOR = { email: 'e2e.editor@example.test', password: 'E2e-password-2' };
const TRACKER_VISITORS = 3;
const TRACKER_VIEWS = 2 * TRACKER_VISITORS;
const API_READS = 4;
const VIEWS = TRACKER_VIEWS + API_READS;
const VISITORS = TRACKER_VISITORS + API_READS;
const DB_FILE = `.tmp/e2e-dashboard-${process.pid}.db`;

// `strapi develop` compiles the app and loads Strapi twice before it answers (see startServer).
jest.setTimeout(DEVELOP ? 480_000 : 180_000);

describe('content dashboard in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let adminToken: string;
  let article: { documentId: string; title: string };
  const consoleErrors: string[] = [];

  const api = adminApi(
    () => server.url,
    () => adminToken
  );

  /** A fresh page that reports every console error and uncaught exception. */
  const openPage = () =>
    openAdminPage(browser, { consoleErrors, viewport: { width: 1440, height: 900 } });

  // Three browser visitors view the article twice each (with engagement on one view), one clicks
  // a button; four other visitors read it through the Content API.
  const seedTraffic = async () => {
    const track = async (ip: string, body: Record<string, unknown>) => {
      const res = await sendTrack(server.url, ip, {
        url: `https://site.example/articles/${article.documentId}?utm_campaign=launch`,
        referrer: 'https://news.example/story',
        contentType: ARTICLE,
        documentId: article.documentId,
        locale: 'en',
        ...body,
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('x-usage-analytics-dropped')).toBeNull();
    };
    for (let v = 0; v < TRACKER_VISITORS; v += 1) {
      const ip = `203.0.113.${10 + v}`;
      await track(ip, { type: 'pageview' });
      await track(ip, { type: 'pageview' });
      await track(ip, { type: 'engagement', engagedMs: 42_000, scrollDepth: 80 });
    }
    await track('203.0.113.10', { type: 'event', name: 'newsletter-signup' });
    for (let i = 0; i < API_READS; i += 1) {
      const res = await asVisitor(
        server.url,
        `/api/articles/${article.documentId}`,
        `203.0.113.${100 + i}`
      );
      expect(res.status).toBe(200);
    }
  };

  beforeAll(async () => {
    server = await startAdminApp(PORT, DB_FILE, { SEED_CONTENT: 'true' });
    adminToken = await registerFirstAdmin(api, SUPER, { firstname: 'E2E', lastname: 'Admin' });
    article = (await seededArticles(api))[0];
    browser = await launchChromium();
  });

  afterAll(() => stopAdminApp(server, browser, DB_FILE));

  it('before any traffic: "no data yet" with the tracker snippet', async () => {
    const page = await openPage();
    await logIn(page, server.url, SUPER);
    await page.goto(`${server.url}/admin/plugins/usage-analytics`);
    const empty = page.getByTestId('no-data');
    await empty.getByText('No data yet').waitFor();
    await empty.getByText('<script defer src="/api/usage-analytics/script.js"></script>').waitFor();
    await page.context().close();
  });

  it('shows the seeded traffic: KPIs equal to the stats API, a drawn chart, the top entry', async () => {
    await seedTraffic();
    // Events are buffered and flushed about every second; wait until the API sees them all.
    const overview = await poll(
      async () => (await api<OverviewResponse>('/usage-analytics/overview')).body.data,
      (o) => o.totals.pageviews >= VIEWS && o.totals.events >= 1
    );
    expect(overview.totals).toMatchObject({ pageviews: VIEWS, visitors: VISITORS, events: 1 });

    const page = await openPage();
    await logIn(page, server.url, SUPER);
    await page.getByRole('link', { name: 'Usage Analytics' }).click();
    await page.waitForURL(/\/admin\/plugins\/usage-analytics/);

    const kpi = (key: string) => page.getByTestId(`kpi-${key}`).getByTestId('kpi-value');
    // What the cards show is what the stats API answers for the same range.
    await expect(kpi('pageviews').textContent()).resolves.toBe(String(VIEWS));
    await expect(kpi('visitors').textContent()).resolves.toBe(String(VISITORS));
    await expect(kpi('sessions').textContent()).resolves.toBe(String(overview.totals.sessions));
    await expect(kpi('bounceRate').textContent()).resolves.toBe(
      `${Math.round(overview.totals.bounceRate! * 10) / 10} %`
    );
    expect(overview.totals.avgEngagedSeconds).toBeGreaterThan(0);
    await expect(kpi('avgEngagedSeconds').textContent()).resolves.not.toBe('0s');

    // The chart's canvas has pixels drawn on it (not just an empty element).
    await page.getByTestId('traffic-chart').locator('canvas').waitFor();
    const drawn = await page.evaluate(`(() => {
      const c = document.querySelector('[data-testid="traffic-chart"] canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n += 1;
      return n;
    })()`);
    expect(drawn).toBeGreaterThan(1000);

    const row = page.getByRole('row', { name: new RegExp(article.title) });
    await expect(row.getByRole('link', { name: article.title }).getAttribute('href')).resolves.toBe(
      `/admin/content-manager/collection-types/${ARTICLE}/${article.documentId}?plugins[i18n][locale]=en`
    );
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe(String(VIEWS));
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe(String(VISITORS));
    await page.getByRole('row', { name: /newsletter-signup/ }).waitFor();
    await page.getByRole('row', { name: /launch/ }).waitFor();
    await page.getByTestId('realtime').getByText(article.title).waitFor();
    await expect(page.getByTestId('data-as-of').textContent()).resolves.toMatch(/Data as of/);

    // Screenshots (from the production build), in the light and the dark theme, without the
    // admin's banners; the README shows the dark one (its light one comes from the demo, `npm run
    // demo:screenshots`).
    if (!DEVELOP) {
      await screenshotBothThemes(
        page,
        'dashboard',
        { width: 1440, height: 2300 },
        () => page.getByTestId('traffic-chart').locator('canvas').waitFor(),
        { light: false, dark: true }
      );
      await page.setViewportSize({ width: 1440, height: 900 });
    }

    // A range change is kept in the URL and the numbers follow it.
    await page.getByRole('combobox', { name: 'Period' }).click();
    await page.getByRole('option', { name: 'Last 30 days' }).click();
    await page.waitForURL(/[?&]range=30d/);
    await expect(kpi('pageviews').textContent()).resolves.toBe(String(VIEWS));

    // A filter with no views says so, and is kept in the URL too.
    await page.getByRole('combobox', { name: 'Content type' }).click();
    await page.getByRole('option', { name: 'Page', exact: true }).click();
    await page.waitForURL(/[?&]contentType=api%3A%3Apage\.page/);
    await page.getByTestId('no-match').waitFor();

    // The shared link opens the same view.
    await page.goto(`${server.url}/admin/plugins/usage-analytics?range=today`);
    await expect(page.getByRole('combobox', { name: 'Period' }).textContent()).resolves.toContain(
      'Today'
    );
    await page.context().close();
  });

  it('an editor without the read permission has no menu link, and the API answers 403', async () => {
    const editorRole = await roleId(api, 'strapi-editor');
    const editorToken = await registerInvitedAdmin(api, EDITOR, 'Editor', editorRole);
    const editorApi = await api('/usage-analytics/overview', {}, editorToken);
    expect(editorApi.status).toBe(403);

    const page = await openPage();
    await logIn(page, server.url, EDITOR);
    await page.getByRole('link', { name: 'Content Manager' }).waitFor();
    await expect(page.getByRole('link', { name: 'Usage Analytics' }).count()).resolves.toBe(0);
    // Opening the dashboard's address directly shows Strapi's "no permission" page.
    await page.goto(`${server.url}/admin/plugins/usage-analytics`);
    await page.getByText("You don't have the permissions to access that content").waitFor();
    await expect(page.getByTestId('kpi-pageviews').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('logged no console errors or React warnings', () => {
    expect(consoleErrors).toEqual([]);
  });
});
