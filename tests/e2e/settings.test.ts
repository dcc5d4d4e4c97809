import type { Browser, Page } from 'playwright-core';
import type { SettingsResponse } from '../../shared/contracts/settings';
import { DROPPED_HEADER } from '../../shared/contracts/track';
import {
  DEVELOP,
  adminApi,
  logIn,
  openAdminPage,
  registerFirstAdmin,
  registerInvitedAdmin,
  roleId,
  screenshotBothThemes,
  sendTrack,
  startAdminApp,
  stopAdminApp,
} from '../helpers/admin-browser';
import { launchChromium } from '../helpers/browser';
import type { ServerProcess } from '../helpers/server-process';

// Settings → Usage Analytics as an admin uses it: the test app started with `strapi start` (or
// `develop` with E2E_DEVELOP=1, where React reports its warnings), Debian's chromium logs in,
// changes settings, saves, and the running app follows them without a restart.

const PORT = Number(process.env.E2E_PORT ?? 1483);
const SUPER = { email: 'e2e.settings@example.test', password: 'E2e-password-1' };
const EDITOR = { email: 'e2e.settings.editor@example.test', password: 'E2e-password-2' };
const DB_FILE = `.tmp/e2e-settings-${process.pid}.db`;

// The browser reports the 400 and the 409 this test provokes on purpose (an invalid sample rate,
// a save over a newer one).
const EXPECTED_REJECTION =
  /^error: Failed to load resource: the server responded with a status of (400 \(Bad Request\)|409 \(Conflict\)) \(http:\/\/127\.0\.0\.1:\d+\/usage-analytics\/settings\)$/;

// `strapi develop` compiles the app and loads Strapi twice before it answers (see startServer).
jest.setTimeout(DEVELOP ? 480_000 : 180_000);

describe('settings page in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let adminToken: string;
  const consoleErrors: string[] = [];
  let rejections = 0;

  const api = adminApi(
    () => server.url,
    () => adminToken
  );

  const openPage = () =>
    openAdminPage(browser, {
      consoleErrors,
      viewport: { width: 1440, height: 900 },
      // Counted, not reported.
      expected: (line) => {
        if (!EXPECTED_REJECTION.test(line)) return false;
        rejections += 1;
        return true;
      },
    });

  // Settings' side navigation: the plugin's section, titled with its name, with one link.
  const settingsLink = (page: Page) =>
    page
      .getByRole('listitem')
      .filter({ hasText: 'Usage Analytics' })
      .getByRole('link', { name: 'Configuration' });

  const settings = async () => (await api<SettingsResponse>('/usage-analytics/settings')).body.data;

  const track = (url: string) => sendTrack(server.url, '203.0.113.50', { type: 'pageview', url });

  beforeAll(async () => {
    server = await startAdminApp(PORT, DB_FILE, {
      SEED_CONTENT: 'true',
      // The audit lines are written at info level.
      LOG_LEVEL: 'info',
      USAGE_ANALYTICS_CONFIG: JSON.stringify({ retention: { rawDays: 14 } }),
    });
    adminToken = await registerFirstAdmin(api, SUPER, { firstname: 'E2E', lastname: 'Settings' });
    browser = await launchChromium();
  });

  afterAll(() => stopAdminApp(server, browser, DB_FILE));

  it('changes settings, saves them, and the running app follows them', async () => {
    const page = await openPage();
    await logIn(page, server.url, SUPER);
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
      await screenshotBothThemes(page, 'settings', { width: 1440, height: 2250 }, () =>
        page.getByTestId('overridden-trackApiReads').waitFor()
      );
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

  it('a save over a newer one is refused: the page shows the current values and says why', async () => {
    const page = await openPage();
    await logIn(page, server.url, SUPER);
    await page.goto(`${server.url}/admin/settings/usage-analytics`);
    await page.getByRole('heading', { name: 'Usage Analytics', level: 1 }).waitFor();
    const paths = page.getByLabel('Excluded paths', { exact: true });
    await expect(paths.inputValue()).resolves.toBe('');

    // Another admin saves while this page is open.
    const read = await settings();
    const other = await api<SettingsResponse>('/usage-analytics/settings', {
      method: 'PUT',
      body: JSON.stringify({ version: read.version, excludePaths: ['/saved-elsewhere'] }),
    });
    expect(other.status).toBe(200);

    const rejectedBefore = rejections;
    await paths.fill('/from-this-page');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByTestId('settings-conflict')
      .getByText('Someone saved these settings while you were editing them')
      .waitFor();
    await expect(paths.inputValue()).resolves.toBe('/saved-elsewhere');
    expect(rejections).toBe(rejectedBefore + 1);
    expect((await settings()).effective.excludePaths).toEqual(['/saved-elsewhere']);

    // Made again on the current values, the change is saved and the message goes.
    await paths.fill('/from-this-page');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    await expect(page.getByTestId('settings-conflict').count()).resolves.toBe(0);
    expect((await settings()).effective.excludePaths).toEqual(['/from-this-page']);
    const reset = await api('/usage-analytics/settings', {
      method: 'PUT',
      body: JSON.stringify({ version: (await settings()).version, excludePaths: null }),
    });
    expect(reset.status).toBe(200);
    await page.context().close();
  });

  it('a role without the settings permission has no link, and the API answers 403', async () => {
    const editorRole = await roleId(api, 'strapi-editor');
    const editorToken = await registerInvitedAdmin(api, EDITOR, 'Editor', editorRole);
    const editorGet = await api('/usage-analytics/settings', {}, editorToken);
    expect(editorGet.status).toBe(403);

    const page = await openPage();
    await logIn(page, server.url, EDITOR);
    await page.goto(`${server.url}/admin/settings/usage-analytics`);
    await page.getByText("You don't have the permissions to access that content").waitFor();
    await expect(settingsLink(page).count()).resolves.toBe(0);
    await page.context().close();
  });

  it('logged no console errors or React warnings', () => {
    expect(consoleErrors).toEqual([]);
  });
});
