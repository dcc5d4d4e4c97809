import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SettingsResponse } from '../../shared/contracts/settings';
import { DROPPED_HEADER } from '../../shared/contracts/track';
import { STRAPI_CORE_WARNINGS, launchChromium } from '../helpers/browser';
import { BROWSER_UA } from '../helpers/content';
import { startServer, type ServerProcess } from '../helpers/server-process';

// Settings → Usage Analytics as an admin uses it: the test app started with `strapi start` (or
// `develop` with E2E_DEVELOP=1, where React reports its warnings), Debian's chromium logs in,
// changes settings, saves, and the running app follows them without a restart.

const PORT = Number(process.env.E2E_PORT ?? 1483);
const DEVELOP = process.env.E2E_DEVELOP === '1';
const SUPER = { email: 'e2e.settings@example.test', password: 'E2e-password-1' };
const EDITOR = { email: 'e2e.settings.editor@example.test', password: 'E2e-password-2' };
// Screenshots go to tests/artifacts; UPDATE_SCREENSHOTS=1 writes the README's, in docs/screenshots.
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots')
    : path.resolve(__dirname, '..', 'artifacts', 'screenshots');
const DB_FILE = `.tmp/e2e-settings-${process.pid}.db`;

// The browser reports the 400 this test provokes on purpose (an invalid sample rate).
const EXPECTED_REJECTION =
  /^error: Failed to load resource: the server responded with a status of 400 \(Bad Request\) \(http:\/\/127\.0\.0\.1:\d+\/usage-analytics\/settings\)$/;

jest.setTimeout(180_000);

describe('settings page in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let adminToken: string;
  const consoleErrors: string[] = [];
  let rejections = 0;

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

  const openPage = async () => {
    const context = await browser.newContext({
      userAgent: BROWSER_UA,
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      const line = `${msg.type()}: ${msg.text()} (${msg.location().url})`;
      if (EXPECTED_REJECTION.test(line)) rejections += 1;
      else if (!STRAPI_CORE_WARNINGS.some((known) => known.test(line))) consoleErrors.push(line);
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

  // Settings' side navigation: the plugin's section, titled with its name, with one link.
  const settingsLink = (page: Page) =>
    page
      .getByRole('listitem')
      .filter({ hasText: 'Usage Analytics' })
      .getByRole('link', { name: 'Configuration' });

  const settings = async () => (await api<SettingsResponse>('/usage-analytics/settings')).body.data;

  const track = (url: string) =>
    fetch(`${server.url}/api/usage-analytics/track`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'user-agent': BROWSER_UA,
        'x-forwarded-for': '203.0.113.50',
      },
      body: JSON.stringify({ type: 'pageview', url }),
    });

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
        // The audit lines are written at info level.
        LOG_LEVEL: 'info',
        USAGE_ANALYTICS_CONFIG: JSON.stringify({ retention: { rawDays: 14 } }),
      },
      DEVELOP ? 'develop' : 'start'
    );
    const registered = await api<{ data: { token: string } }>(
      '/admin/register-admin',
      {
        method: 'POST',
        body: JSON.stringify({ ...SUPER, firstname: 'E2E', lastname: 'Settings' }),
      },
      ''
    );
    expect(registered.status).toBe(200);
    adminToken = registered.body.data.token;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(path.resolve(__dirname, '..', 'app', DB_FILE), { force: true });
  });

  it('changes settings, saves them, and the running app follows them', async () => {
    const page = await openPage();
    await logIn(page, SUPER);
    await page.goto(`${server.url}/admin/settings`);
    await settingsLink(page).click();
    await page.waitForURL(/\/admin\/settings\/usage-analytics$/);
    await page.getByRole('heading', { name: 'Usage Analytics', level: 1 }).waitFor();

    // What config/plugins says is shown, and what only config/plugins can set is read-only.
    const rawDays = page.getByLabel('Raw events (days)', { exact: true });
    await expect(rawDays.inputValue()).resolves.toBe('14');
    const fileOnly = page.getByTestId('file-only-settings');
    await fileOnly.getByRole('row', { name: /flush\.intervalMs\s*1000/ }).waitFor();
    await fileOnly.getByRole('row', { name: /metrics\.token\s*not set/ }).waitFor();
    await page.getByTestId('metrics-no-token').waitFor();
    await expect(
      page.getByLabel('Serve Prometheus metrics', { exact: true }).isDisabled()
    ).resolves.toBe(true);

    // Keyboard: Space flips a toggle.
    await page.getByLabel('Count Content API reads', { exact: true }).focus();
    await page.keyboard.press('Space');
    await expect(
      page.getByLabel('Count Content API reads', { exact: true }).isChecked()
    ).resolves.toBe(false);
    await page.getByLabel('Excluded paths', { exact: true }).fill('/private\n/drafts');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    await page.getByTestId('overridden-trackApiReads').waitFor();
    await page.getByTestId('overridden-excludePaths').waitFor();

    const saved = await settings();
    expect(saved.effective).toMatchObject({
      trackApiReads: false,
      excludePaths: ['/private', '/drafts'],
    });
    expect(saved.overridden.sort()).toEqual(['excludePaths', 'trackApiReads']);
    // Applied at once: a pageview under an excluded path is dropped, another one is not.
    const excluded = await track('https://site.example/private/page');
    expect(excluded.status).toBe(202);
    expect(excluded.headers.get(DROPPED_HEADER)).toBe('excluded');
    const counted = await track('https://site.example/blog/page');
    expect(counted.headers.get(DROPPED_HEADER)).toBeNull();
    // Audited with the admin's id and email, and the old and new values.
    expect(server.output()).toMatch(
      /settings changed by admin user id \d+ \(e2e\.settings@example\.test\): trackApiReads true → false; excludePaths \[\] → \["\/private","\/drafts"\]/
    );

    // Screenshots for the README (from the production build), light and dark theme.
    if (!DEVELOP) {
      // Reloaded first, so the "saved" notification is gone and only the admin's banner is left.
      await page.reload();
      await page.getByTestId('overridden-trackApiReads').waitFor();
      const dismiss = page.getByRole('button', { name: 'Close' });
      if (await dismiss.count()) await dismiss.first().click();
      await page.setViewportSize({ width: 1440, height: 2250 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'settings.png') });
      await page.evaluate(`localStorage.setItem('STRAPI_THEME', 'dark')`);
      await page.reload();
      await page.getByTestId('overridden-trackApiReads').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-dark.png') });
      await page.evaluate(`localStorage.setItem('STRAPI_THEME', 'light')`);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.reload();
    }

    // A bad value: the server's message appears under the field, and nothing is saved.
    const sampleRate = page.getByLabel('Sample rate', { exact: true });
    await sampleRate.fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('must be greater than 0 and at most 1 (got 2)').waitFor();
    await expect(sampleRate.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText('Nothing was saved').waitFor();
    expect(rejections).toBe(1);
    expect((await settings()).effective.sampleRate).toBe(1);

    // Back to the config/plugins value for the paths, and a valid sample rate.
    await sampleRate.fill('0.5');
    await page
      .getByRole('button', { name: 'Use the config/plugins value for Excluded paths' })
      .click();
    await expect(page.getByLabel('Excluded paths', { exact: true }).inputValue()).resolves.toBe('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('overridden-sampleRate').waitFor();
    await expect(page.getByTestId('overridden-excludePaths').count()).resolves.toBe(0);
    const after = await settings();
    expect(after.effective).toMatchObject({
      excludePaths: [],
      sampleRate: 0.5,
      trackApiReads: false,
    });
    expect(after.overridden.sort()).toEqual(['sampleRate', 'trackApiReads']);
    await page.context().close();
  });

  it('a role without the settings permission has no link, and the API answers 403', async () => {
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
    const editorGet = await api('/usage-analytics/settings', {}, registered.body.data.token);
    expect(editorGet.status).toBe(403);

    const page = await openPage();
    await logIn(page, EDITOR);
    await page.goto(`${server.url}/admin/settings/usage-analytics`);
    await page.getByText("You don't have the permissions to access that content").waitFor();
    await expect(settingsLink(page).count()).resolves.toBe(0);
    await page.context().close();
  });

  it('logged no console errors or React warnings', () => {
    expect(consoleErrors).toEqual([]);
  });
});
