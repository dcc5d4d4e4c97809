// The develop half of `npm run test:pack`: `strapi develop` of the brand-new app with no Vite
// configuration and a cold Vite cache, an article opened in the Content Manager in Debian's
// chromium. The plugin's panel must render from its single request, with no console error (two
// copies of React log "Invalid hook call" and fail on `useRef`), and Vite must not have had to
// discover a dependency while the page was open.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startApp } from './pack-app.mjs';

const require = createRequire(import.meta.url);
const {
  CHROMIUM,
  LAUNCH_ARGS,
  STRAPI_CORE_WARNINGS,
  CONTENT_MANAGER_NOISE,
} = require('./chromium.cjs');

const ADMIN = { email: 'pack.admin@example.test', password: 'Pack-password-1' };
const ARTICLE = 'api::article.article';
// Vite compiles the admin on the first visit: slow on a cold cache and a busy machine.
const PAGE_TIMEOUT = 180_000;
// What Vite logs when it finds a dependency only once a page is open, and reloads the page.
// Strapi does not scan the admin's entry, so on the first visit Vite always finds the admin and
// the installed plugins' entries this way; after that, nothing of this plugin may be new to it.
const VITE_DISCOVERY = /new dependencies optimized|optimized dependencies changed/;
// Strapi's admin asks GitHub for its latest release; this machine has no route to it.
const OFFLINE = [
  /^error: Failed to load resource: .* \(https:\/\/api\.github\.com\/repos\/strapi\/strapi\/releases\/latest\)/,
];
const discoveries = (output) => output.split('\n').filter((l) => VITE_DISCOVERY.test(l));

async function adminRequest(url, route, body, token) {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`POST ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/**
 * Returns the failures found (an empty list when all is well) and prints what was measured.
 * `appDir` has the plugin installed and enabled and the Article type; nothing runs on `port`.
 */
export async function checkDevelop(appDir, port) {
  // A cold cache: whatever Vite pre-bundled before (`strapi build` does not) is gone.
  fs.rmSync(path.join(appDir, 'node_modules', '.strapi', 'vite'), { recursive: true, force: true });
  const failures = [];
  let app;
  let browser;
  try {
    console.log('» npm run develop (cold Vite cache)');
    app = await startApp(appDir, 'develop', port, 300_000);
    const { token } = await adminRequest(
      app.url,
      '/admin/register-admin',
      { ...ADMIN, firstname: 'Pack', lastname: 'Admin' },
      ''
    );
    const article = await adminRequest(
      app.url,
      `/content-manager/collection-types/${ARTICLE}`,
      { title: 'Hello from the pack check' },
      token
    );

    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT);
    const consoleErrors = [];
    const ignore = [...STRAPI_CORE_WARNINGS, ...CONTENT_MANAGER_NOISE, ...OFFLINE];
    page.on('console', (msg) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      const line = `${msg.type()}: ${msg.text()} (${msg.location().url}) on ${page.url()}`;
      if (!ignore.some((known) => known.test(line))) consoleErrors.push(line);
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    const panelRequests = [];
    page.on('request', (req) => {
      const route = decodeURIComponent(new URL(req.url()).pathname);
      if (route.startsWith('/usage-analytics/content/')) panelRequests.push(route);
    });

    await page.goto(`${app.url}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
    await page.waitForLoadState('networkidle');
    const firstVisit = discoveries(app.output());
    const seen = app.output().length;
    const started = Date.now();
    await page.goto(
      `${app.url}/admin/content-manager/collection-types/${ARTICLE}/${article.documentId}`
    );
    await page.getByTestId('entry-stats').waitFor();
    await page.getByRole('heading', { name: 'Usage (last 30 days)' }).waitFor();
    const noViews = await page.getByTestId('entry-no-views').textContent();
    console.log(`  entry panel rendered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Anything still loading (a late re-optimisation, a second request) shows up by now.
    await page.waitForLoadState('networkidle');

    const viteLines = discoveries(app.output().slice(seen));
    console.log(
      `  Vite on the first visit (Strapi's own scan-less start):\n    ${firstVisit.join('\n    ')}`
    );
    console.log(`  panel text: ${noViews}`);
    console.log(`  requests of the panel: ${panelRequests.length}`);
    console.log(`  console errors: ${consoleErrors.length}`);
    console.log(`  Vite dependency discoveries once the edit view opened: ${viteLines.length}`);
    if (noViews !== 'No views in the last 30 days') failures.push(`panel shows "${noViews}"`);
    if (panelRequests.length !== 1)
      failures.push(`the panel sent ${panelRequests.length} requests: ${panelRequests.join(', ')}`);
    if (consoleErrors.length) failures.push(`console errors:\n${consoleErrors.join('\n')}`);
    if (viteLines.length) failures.push(`Vite discovered dependencies:\n${viteLines.join('\n')}`);
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
    if (app) failures.push(`develop output:\n${app.output().slice(-3000)}`);
  } finally {
    await browser?.close();
    await app?.stop();
  }
  return failures;
}
