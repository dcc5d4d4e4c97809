import type { Browser } from 'playwright-core';
import type { ReportSettingsResponse } from '../../shared/contracts/report';
import {
  adminApi,
  logIn,
  openAdminPage,
  registerFirstAdmin,
  startAdminApp,
  stopAdminApp,
} from '../helpers/admin-browser';
import { launchChromium } from '../helpers/browser';
import type { ServerProcess } from '../helpers/server-process';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';

// The "Weekly report by e-mail" card of Settings → Usage Analytics, in Debian's chromium: turned
// on for a role, saved, and "Send a test report now" delivers a message to a real SMTP server.

const PORT = Number(process.env.E2E_PORT ?? 1483) + 7;
const SUPER = { email: 'e2e.report@example.test', password: 'E2e-password-1' };
const DB_FILE = `.tmp/e2e-report-${process.pid}.db`;

jest.setTimeout(180_000);

describe('weekly report card in a real browser', () => {
  let smtp: SmtpSink;
  let server: ServerProcess;
  let browser: Browser;
  let adminToken: string;
  const consoleErrors: string[] = [];
  const api = adminApi(
    () => server.url,
    () => adminToken
  );

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startAdminApp(PORT, DB_FILE, { TEST_SMTP_PORT: String(smtp.port) });
    adminToken = await registerFirstAdmin(api, SUPER, { firstname: 'E2E', lastname: 'Report' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await stopAdminApp(server, browser, DB_FILE);
    await smtp?.close();
  });

  it('saves the schedule and recipients, and sends a test report now', async () => {
    const page = await openAdminPage(browser, {
      consoleErrors,
      viewport: { width: 1440, height: 900 },
    });
    await logIn(page, server.url, SUPER);
    await page.goto(`${server.url}/admin/settings/usage-analytics`);
    await page.getByRole('heading', { name: 'Weekly report by e-mail' }).waitFor();
    await page.getByText('Email provider: nodemailer.').waitFor();
    const enabled = page.getByLabel('Send the weekly report', { exact: true });
    await expect(enabled.isChecked()).resolves.toBe(false);

    await enabled.click();
    await page.getByRole('combobox', { name: 'Recipients' }).click();
    await page.getByRole('option', { name: /Super Admin \(1 active admin\)/ }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Apply report settings' }).click();
    await page.getByText('Report settings saved').waitFor();

    const saved = await api<ReportSettingsResponse>('/usage-analytics/report-settings');
    const superRole = saved.body.data.roles.find((r) => r.name === 'Super Admin');
    expect(saved.body.data.settings).toMatchObject({ enabled: true, roleIds: [superRole?.id] });

    await page.getByRole('button', { name: 'Send a test report now' }).click();
    await page.getByText('Report sent to 1 recipient').waitFor();
    const [mail] = await smtp.waitFor(1);
    expect(mail.rcptTo).toEqual([SUPER.email]);
    expect(mail.text).toMatch(/^Usage Analytics — \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC\)/);
    expect(mail.html).toContain('<h2 style="font-size:16px">Top content</h2>');
    await page.context().close();
  });

  it('logged no console errors or React warnings', () => {
    expect(consoleErrors).toEqual([]);
  });
});
