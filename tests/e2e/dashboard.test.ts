import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { STRAPI_CORE_WARNINGS, launchChromium } from '../helpers/browser';
import type { OverviewResponse } from '../../shared/contracts/stats';
import { BROWSER_UA } from '../helpers/content';
import { startServer, type ServerProcess } from '../helpers/server-process';

// The content dashboard as a user sees it: the test app built with its admin panel and started
// with `strapi start` on a fresh SQLite file, traffic sent over HTTP, then Debian's chromium
// (playwright-core) logs in, opens the dashboard and reads what is on screen.

const PORT = Number(process.env.E2E_PORT ?? 1486);
// E2E_DEVELOP=1 serves the admin panel in development mode, where React reports its warnings.
const DEVELOP = process.env.E2E_DEVELOP === '1';
const ARTICLE = 'api::article.article';
const SUPER = { email: 'e2e.admin@example.test', password: 'E2e-password-1' };
const EDITOR = { email: 'e2e.editor@example.test', password: 'E2e-password-2' };
const TRACKER_VISITORS = 3;
const TRACKER_VIEWS = 2 * TRACKER_VISITORS;
const API_READS = 4;
const VIEWS = TRACKER_VIEWS + API_READS;
const VISITORS = TRACKER_VISITORS + API_READS;
// Screenshots go to tests/artifacts; UPDATE_SCREENSHOTS=1 writes the README's, in docs/screenshots.
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots')
    : path.resolve(__dirname, '..', 'artifacts', 'screenshots');
const DB_FILE = `.tmp/e2e-dashboard-${process.pid}.db`;

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('content dashboard in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let adminToken: string;
  let article: { documentId: string; title: string };
  const consoleErrors: string[] = [];

  const api = async <T>(route: string, init: RequestInit = {}, token = adminToken) => {
    const res = await fetch(`${server.url}${route}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...init.headers,
      },
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as T };
  };

  /** A fresh page that reports every console error and uncaught exception. */
  const openPage = async () => {
    const context = await browser.newContext({
      userAgent: BROWSER_UA,
      viewport: { width: 1440, height: 900 },
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

  // Three browser visitors view the article twice each (with engagement on one view), one clicks
  // a button; four other visitors read it through the Content API.
  const seedTraffic = async () => {
    const track = async (ip: string, body: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/api/usage-analytics/track`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip },
        body: JSON.stringify({
          url: `https://site.example/articles/${article.documentId}?utm_campaign=launch`,
          referrer: 'https://news.example/story',
          contentType: ARTICLE,
          documentId: article.documentId,
          locale: 'en',
          ...body,
        }),
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
      const res = await fetch(`${server.url}/api/articles/${article.documentId}`, {
        headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': `203.0.113.${100 + i}` },
      });
      expect(res.status).toBe(200);
    }
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
        // Every seeded visitor comes from this machine; trust X-Forwarded-For to tell them apart.
        TRUST_PROXY: 'true',
      },
      DEVELOP ? 'develop' : 'start'
    );

    const registered = await api<{ data: { token: string } }>(
      '/admin/register-admin',
      {
        method: 'POST',
        body: JSON.stringify({ ...SUPER, firstname: 'E2E', lastname: 'Admin' }),
      },
      ''
    );
    expect(registered.status).toBe(200);
    adminToken = registered.body.data.token;

    const list = await api<{ data: Array<{ documentId: string; title: string }> }>(
      '/api/articles?sort=title:asc',
      {},
      ''
    );
    article = list.body.data[0];

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(path.resolve(__dirname, '..', 'app', DB_FILE), { force: true });
  });

  it('before any traffic: "no data yet" with the tracker snippet', async () => {
    const page = await openPage();
    await logIn(page, SUPER);
    await page.goto(`${server.url}/admin/plugins/usage-analytics`);
    const empty = page.getByTestId('no-data');
    await empty.getByText('No data yet').waitFor();
    await empty.getByText('<script defer src="/api/usage-analytics/script.js"></script>').waitFor();
    await page.context().close();
  });

  it('shows the seeded traffic: KPIs equal to the stats API, a drawn chart, the top entry', async () => {
    await seedTraffic();
    // Events are buffered and flushed about every second; wait until the API sees them all.
    let overview: OverviewResponse['data'] | undefined;
    for (let tries = 0; tries < 40; tries += 1) {
      overview = (await api<OverviewResponse>('/usage-analytics/overview')).body.data;
      if (overview.totals.pageviews >= VIEWS && overview.totals.events >= 1) break;
      await sleep(250);
    }
    expect(overview!.totals).toMatchObject({ pageviews: VIEWS, visitors: VISITORS, events: 1 });

    const page = await openPage();
    await logIn(page, SUPER);
    await page.getByRole('link', { name: 'Usage Analytics' }).click();
    await page.waitForURL(/\/admin\/plugins\/usage-analytics/);

    const kpi = (key: string) => page.getByTestId(`kpi-${key}`).getByTestId('kpi-value');
    // What the cards show is what the stats API answers for the same range.
    await expect(kpi('pageviews').textContent()).resolves.toBe(String(VIEWS));
    await expect(kpi('visitors').textContent()).resolves.toBe(String(VISITORS));
    await expect(kpi('sessions').textContent()).resolves.toBe(String(overview!.totals.sessions));
    await expect(kpi('bounceRate').textContent()).resolves.toBe(
      `${Math.round(overview!.totals.bounceRate! * 10) / 10} %`
    );
    expect(overview!.totals.avgEngagedSeconds).toBeGreaterThan(0);
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

    // Screenshots for the README (from the production build), in the light and the dark theme,
    // without the admin's banners.
    if (!DEVELOP) {
      const dismiss = page.getByRole('button', { name: 'Close' });
      if (await dismiss.count()) await dismiss.first().click();
      await page.setViewportSize({ width: 1440, height: 2300 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png') });
      await page.evaluate(`localStorage.setItem('STRAPI_THEME', 'dark')`);
      await page.reload();
      await page.getByTestId('traffic-chart').locator('canvas').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-dark.png') });
      await page.evaluate(`localStorage.setItem('STRAPI_THEME', 'light')`);
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
    const roles = await api<{ data: Array<{ id: number; code: string }> }>('/admin/roles');
    const editorRole = roles.body.data.find((r) => r.code === 'strapi-editor')!;
    const invited = await api<{ data: { registrationToken: string } }>('/admin/users', {
      method: 'POST',
      body: JSON.stringify({
        email: EDITOR.email,
        firstname: 'E2E',
        lastname: 'Editor',
        roles: [editorRole.id],
      }),
    });
    expect(invited.status).toBe(201);
    const registered = await api<{ data: { token: string } }>(
      '/admin/register',
      {
        method: 'POST',
        body: JSON.stringify({
          registrationToken: invited.body.data.registrationToken,
          userInfo: { firstname: 'E2E', lastname: 'Editor', password: EDITOR.password },
        }),
      },
      ''
    );
    expect(registered.status).toBe(200);
    const editorApi = await api('/usage-analytics/overview', {}, registered.body.data.token);
    expect(editorApi.status).toBe(403);

    const page = await openPage();
    await logIn(page, EDITOR);
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
