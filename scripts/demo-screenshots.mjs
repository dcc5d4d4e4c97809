#!/usr/bin/env node
// `npm run demo:screenshots`: the README's screenshots of the demo and its 90 days of history, in
// Debian's chromium: the dashboard (last 30 days against the 30 before), the homepage widgets,
// the Content Manager's "Views (30 d)" column, the System health page (last 24 hours), and the
// weekly report of the last week as the mailer sends it. They are written to docs/screenshots/demo-*.png. The demo starts as
// `npm run demo` starts it, but on a new SQLite file of its own (tests/app/.tmp/demo-screenshots.db,
// removed afterwards) and with Strapi's email plugin sending to an SMTP server of this script.
// Options: --skip-build; PORT (1337).
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { simpleParser } from 'mailparser';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { buildDemo, demoLogin, root, startDemo } from './demo-app.mjs';

const require = createRequire(import.meta.url);
const { CHROMIUM, LAUNCH_ARGS } = require('./chromium.cjs');

const OUT = path.join(root, 'docs', 'screenshots');
const DATABASE = '.tmp/demo-screenshots.db';
const ARTICLE = 'api::article.article';
const WIDTH = 1440;
const LIST_WIDTH = 1920;
const REPORT_WIDTH = 640;

/** An SMTP server on 127.0.0.1 that keeps the HTML part of each message it receives. */
async function startMailbox() {
  const html = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          html.push(typeof mail.html === 'string' ? mail.html : '');
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.server.address().port,
    html,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function until(what, check, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** JSON requests to the admin API as the demo's admin. */
async function adminApi(base) {
  const login = await fetch(`${base}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoLogin),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status}`);
  const { token } = (await login.json()).data;
  return async (route, init = {}) => {
    const res = await fetch(`${base}${route}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...init.headers,
      },
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${route} answered ${res.status}: ${JSON.stringify(body)}`);
    return body.data;
  };
}

/**
 * The weekly report of the 7 days before today, through the settings page's "send a test report
 * now" route: the mailer's own figures and rendering, sent to the demo's admin (Super Admin role).
 */
async function weeklyReportHtml(api, mailbox) {
  const { settings, roles } = await api('/usage-analytics/report-settings');
  const superAdmin = roles.find((r) => r.name === 'Super Admin');
  if (!superAdmin) throw new Error('no Super Admin role in the report settings');
  await api('/usage-analytics/report-settings', {
    method: 'PUT',
    body: JSON.stringify({ ...settings, roleIds: [superAdmin.id] }),
  });
  await api('/usage-analytics/report/test', { method: 'POST' });
  return until('the weekly report e-mail', () => mailbox.html[0], 30_000);
}

/** A screenshot of the page (or of `clip` in it) as docs/screenshots/`name`.png. */
async function save(page, name, clip) {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
  console.log(`  ${path.relative(root, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

/** Closes the admin's banner (such as its update notice), if one shows. */
async function dismissBanners(page) {
  const close = page.getByRole('button', { name: 'Close' });
  if (await close.count()) await close.first().click();
}

/**
 * Makes the window tall enough to show the whole page: the admin scrolls inside its own layout,
 * not the document, so a full-page screenshot would stop at the window's height.
 */
async function fitHeight(page) {
  const hidden = await page.evaluate(`(() => {
    let most = 0;
    for (const el of document.querySelectorAll('*')) {
      const overflow = getComputedStyle(el).overflowY;
      if (overflow === 'auto' || overflow === 'scroll') {
        most = Math.max(most, el.scrollHeight - el.clientHeight);
      }
    }
    return most;
  })()`);
  const { width, height } = page.viewportSize();
  if (hidden > 0) await page.setViewportSize({ width, height: height + hidden });
}

async function logIn(page, base) {
  await page.goto(`${base}/admin/auth/login`);
  await page.evaluate(`localStorage.setItem('STRAPI_THEME', 'light')`);
  await page.locator('input[name="email"]').fill(demoLogin.email);
  await page.locator('input[name="password"]').fill(demoLogin.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
  await dismissBanners(page);
}

/**
 * The dashboard over the last 30 days (against the 30 before), down to its insights (the tables
 * of pages, referrers, campaigns, devices, browsers and events below them are left out).
 */
async function dashboard(page, base) {
  await page.goto(`${base}/admin/plugins/usage-analytics?range=30d`);
  await page.getByTestId('traffic-chart').locator('canvas').waitFor();
  await page.getByTestId('data-as-of').waitFor();
  await page.getByRole('row', { name: /newsletter-signup/ }).waitFor();
  await page.waitForLoadState('networkidle');
  await dismissBanners(page);
  await fitHeight(page);
  await page.waitForLoadState('networkidle');
  const insights = await page.getByTestId('insights').boundingBox();
  await save(page, 'demo-dashboard', {
    x: 0,
    y: 0,
    width: WIDTH,
    height: Math.ceil(insights.y + insights.height + 16),
  });
  await page.setViewportSize({ width: WIDTH, height: 1000 });
}

/** The plugin's two widgets on the admin homepage (Strapi's own come first). */
async function widgets(page, base) {
  await page.goto(`${base}/admin`);
  const top = page.getByRole('region', { name: 'Top content, last 7 days' });
  const traffic = page.getByRole('region', { name: 'Traffic, last 7 days' });
  await traffic.getByTestId('widget-traffic-views').waitFor();
  await top.getByTestId('widget-top-row').first().waitFor();
  await page.waitForLoadState('networkidle');
  await dismissBanners(page);
  await traffic.scrollIntoViewIfNeeded();
  const [a, b] = [await top.boundingBox(), await traffic.boundingBox()];
  const pad = 16;
  const x = Math.min(a.x, b.x) - pad;
  const y = Math.min(a.y, b.y) - pad;
  await save(page, 'demo-widgets', {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) + pad - x,
    height: Math.max(a.y + a.height, b.y + b.height) + pad - y,
  });
}

/**
 * The articles' list, newest first, with each one's views over the last 30 days (in a window wide
 * enough for the column to show without scrolling the table sideways).
 */
async function listView(page, base) {
  await page.setViewportSize({ width: LIST_WIDTH, height: 1000 });
  await page.goto(
    `${base}/admin/content-manager/collection-types/${ARTICLE}?page=1&pageSize=10&sort=createdAt:DESC&plugins[i18n][locale]=en`
  );
  await until('the views column', () =>
    page.evaluate(`(() => {
      const cells = [...document.querySelectorAll('[data-testid="list-view-views"]')];
      return cells.length > 0 && cells.every((c) => /^[\\d,]+$/.test(c.textContent.trim()));
    })()`)
  );
  await dismissBanners(page);
  await fitHeight(page);
  await save(page, 'demo-list-view-column');
}

/** The System health page over its default period, the last 24 hours. */
async function health(page, base) {
  await page.setViewportSize({ width: WIDTH, height: 1000 });
  await page.goto(`${base}/admin/plugins/usage-analytics/health`);
  for (const chart of ['throughput', 'latency', 'event-loop']) {
    await page.getByTestId(`health-chart-${chart}`).locator('canvas').waitFor();
  }
  await page.getByTestId('slowest-routes').waitFor();
  await page.waitForLoadState('networkidle');
  await dismissBanners(page);
  await fitHeight(page);
  await save(page, 'demo-health');
}

/** The weekly report's HTML part, as a mail client shows it. */
async function report(page, html) {
  await page.setViewportSize({ width: REPORT_WIDTH, height: 600 });
  await page.setContent(html, { waitUntil: 'load' });
  const bottom = await page.evaluate('document.body.getBoundingClientRect().bottom');
  await page.setViewportSize({ width: REPORT_WIDTH, height: Math.ceil(bottom) + 16 });
  await save(page, 'demo-weekly-report');
}

async function takeScreenshots(base, reportHtml) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  try {
    const context = await browser.newContext({
      viewport: { width: WIDTH, height: 1000 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await logIn(page, base);
    await dashboard(page, base);
    await widgets(page, base);
    await listView(page, base);
    await health(page, base);
    await report(await context.newPage(), reportHtml);
  } finally {
    await browser.close();
  }
}

const args = new Set(process.argv.slice(2));
if (!args.has('--skip-build')) buildDemo();
fs.mkdirSync(OUT, { recursive: true });

const mailbox = await startMailbox();
let demo;
try {
  demo = await startDemo({
    port: Number(process.env.PORT ?? 1337),
    database: DATABASE,
    fresh: true,
    env: { TEST_SMTP_PORT: String(mailbox.port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  const api = await adminApi(demo.base);
  // The live traffic just sent shows in "Last 30 minutes" once the collector has written it.
  await until('the live traffic', async () => {
    const realtime = await api('/usage-analytics/realtime');
    return realtime.pageviews > 0;
  });
  const reportHtml = await weeklyReportHtml(api, mailbox);
  console.log('» Taking the screenshots');
  await takeScreenshots(demo.base, reportHtml);
  console.log('✔ Screenshots of the demo written.');
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
} finally {
  await mailbox.close();
  if (demo) {
    if (demo.child.exitCode === null) {
      const exited = once(demo.child, 'exit');
      demo.stop();
      await exited;
    }
    fs.rmSync(demo.dbFile, { force: true });
  }
}
