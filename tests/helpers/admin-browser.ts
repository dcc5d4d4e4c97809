import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { STRAPI_CORE_WARNINGS } from './browser';
import { BROWSER_UA } from './content';
import { startServer, type ServerProcess } from './server-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { APP_DIR } = require('../../scripts/app-env.cjs');

// What the end-to-end suites share: the test app on a fresh SQLite file, the admin API over HTTP,
// chromium pages that collect console errors, the admin's login form and the README screenshots.

/** E2E_DEVELOP=1 serves the admin panel in development mode, where React reports its warnings. */
export const DEVELOP = process.env.E2E_DEVELOP === '1';

/** Screenshots no README shows: always under tests/artifacts. */
export const ARTIFACT_SCREENSHOTS = path.resolve(__dirname, '..', 'artifacts', 'screenshots');
/** Screenshots go to tests/artifacts; UPDATE_SCREENSHOTS=1 writes the README's, in docs/screenshots. */
export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots')
    : ARTIFACT_SCREENSHOTS;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `done` holds, `tries` times at most with `ms` between; returns the last value read
 * (the test's own assertions then tell what is missing).
 */
export async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { tries = 40, ms = 250 }: { tries?: number; ms?: number } = {}
): Promise<T> {
  let value!: T;
  for (let n = 0; n < tries; n += 1) {
    value = await read();
    if (done(value)) break;
    await sleep(ms);
  }
  return value;
}

/**
 * Starts the built test app (`strapi start`, or `develop` with E2E_DEVELOP=1) on a fresh SQLite
 * file under tests/app. `env` adds to (or overrides) the app's environment.
 */
export function startAdminApp(
  port: number,
  dbFile: string,
  env: Record<string, string> = {}
): Promise<ServerProcess> {
  fs.rmSync(path.join(APP_DIR, dbFile), { force: true });
  return startServer(
    port,
    {
      NODE_ENV: DEVELOP ? 'development' : 'production',
      DB_CLIENT: 'sqlite',
      DATABASE_FILENAME: dbFile,
      // Every test visitor comes from this machine; trust X-Forwarded-For to tell them apart.
      TRUST_PROXY: 'true',
      ...env,
    },
    DEVELOP ? 'develop' : 'start'
  );
}

/** Closes the browser, stops the app and removes its SQLite file (each only if it was started). */
export async function stopAdminApp(
  server: ServerProcess | undefined,
  browser: Browser | undefined,
  dbFile: string
): Promise<void> {
  await browser?.close();
  await server?.stop();
  fs.rmSync(path.join(APP_DIR, dbFile), { force: true });
}

export interface ApiResponse<T> {
  status: number;
  /** The JSON body, or null when there is none. */
  body: T;
}

/** A JSON request to the app; an empty `token` sends no Authorization header. */
export type AdminApi = <T = unknown>(
  route: string,
  init?: RequestInit,
  token?: string
) => Promise<ApiResponse<T>>;

/**
 * JSON requests to the app at `baseUrl()`, with the bearer token `defaultToken()` unless another
 * one (or '' for none) is given. Both are read at each call: the suite sets them in beforeAll.
 */
export function adminApi(baseUrl: () => string, defaultToken: () => string): AdminApi {
  return async <T>(route: string, init: RequestInit = {}, token = defaultToken()) => {
    const res = await fetch(`${baseUrl()}${route}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...init.headers,
      },
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as T };
  };
}

export interface Credentials {
  email: string;
  password: string;
}

/** Registers the app's first administrator (a super admin) as the sign-up page does; its token. */
export async function registerFirstAdmin(
  api: AdminApi,
  who: Credentials,
  name: { firstname: string; lastname: string }
): Promise<string> {
  const registered = await api<{ data: { token: string } }>(
    '/admin/register-admin',
    { method: 'POST', body: JSON.stringify({ ...who, ...name }) },
    ''
  );
  expect(registered.status).toBe(200);
  return registered.body.data.token;
}

/** The id of the admin role with this code (such as 'strapi-editor'). */
export async function roleId(api: AdminApi, code: string): Promise<number> {
  const roles = await api<{ data: Array<{ id: number; code: string }> }>('/admin/roles');
  return roles.body.data.find((r) => r.code === code)!.id;
}

/**
 * Invites an admin user "E2E `lastname`" with this role, and registers it with the password as
 * the invitation link's page does; returns the new user's token.
 */
export async function registerInvitedAdmin(
  api: AdminApi,
  who: Credentials,
  lastname: string,
  role: number
): Promise<string> {
  const invited = await api<{ data: { registrationToken: string } }>('/admin/users', {
    method: 'POST',
    body: JSON.stringify({ email: who.email, firstname: 'E2E', lastname, roles: [role] }),
  });
  expect(invited.status).toBe(201);
  const registered = await api<{ data: { token: string } }>(
    '/admin/register',
    {
      method: 'POST',
      body: JSON.stringify({
        registrationToken: invited.body.data.registrationToken,
        userInfo: { firstname: 'E2E', lastname, password: who.password },
      }),
    },
    ''
  );
  expect(registered.status).toBe(200);
  return registered.body.data.token;
}

/** The seeded articles through the Content API, by title. */
export async function seededArticles(
  api: AdminApi
): Promise<Array<{ documentId: string; title: string }>> {
  const list = await api<{ data: Array<{ documentId: string; title: string }> }>(
    '/api/articles?sort=title:asc',
    {},
    ''
  );
  return list.body.data;
}

/** A request as a desktop browser's visitor from `ip` (X-Forwarded-For) would send it. */
export function asVisitor(
  baseUrl: string,
  route: string,
  ip: string,
  init: RequestInit = {}
): Promise<Response> {
  return fetch(`${baseUrl}${route}`, {
    ...init,
    headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': ip, ...init.headers },
  });
}

/** One event to the tracking endpoint from the visitor at `ip`, as the tracker script sends it. */
export function sendTrack(
  baseUrl: string,
  ip: string,
  body: Record<string, unknown>
): Promise<Response> {
  return asVisitor(baseUrl, '/api/usage-analytics/track', ip, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify(body),
  });
}

export interface PageOptions {
  /** Console errors and warnings, and uncaught exceptions, are added here (when given). */
  consoleErrors?: string[];
  /** Console lines that are not this plugin's (default: Strapi's own development warnings). */
  ignore?: readonly RegExp[];
  /** Ends each console line with " on <the page's address>", for `ignore` to match. */
  withPageUrl?: boolean;
  /** A line the test provokes on purpose: it returns true for it, and it is not reported. */
  expected?: (line: string) => boolean;
  /** Without it, Playwright's default (1280 × 720). */
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
  /**
   * Default timeout of the page's actions and waits; without it, Playwright's 30 s, or 120 s in
   * development mode, where Vite compiles the admin on the first visit (on a cold cache and a
   * busy machine, longer than 30 s).
   */
  timeout?: number;
}

/** A fresh context and page, as a desktop browser, that reports console errors and page errors. */
export async function openAdminPage(browser: Browser, options: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    userAgent: BROWSER_UA,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const page = await context.newPage();
  const timeout = options.timeout ?? (DEVELOP ? 120_000 : undefined);
  if (timeout) page.setDefaultTimeout(timeout);
  const errors = options.consoleErrors;
  if (errors) {
    const ignore = options.ignore ?? STRAPI_CORE_WARNINGS;
    page.on('console', (msg) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      let line = `${msg.type()}: ${msg.text()} (${msg.location().url})`;
      if (options.withPageUrl) line += ` on ${page.url()}`;
      if (options.expected?.(line)) return;
      if (!ignore.some((known) => known.test(line))) errors.push(line);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  }
  return page;
}

/** Logs in through the admin's login form and waits to leave the /admin/auth pages. */
export async function logIn(page: Page, baseUrl: string, who: Credentials): Promise<void> {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
}

/** Closes the admin's banner (such as its update notice), if one shows. */
export async function dismissBanners(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Close' });
  if (await close.count()) await close.first().click();
}

/**
 * Saves a screenshot of the window as `name`.png in SCREENSHOTS, or in ARTIFACT_SCREENSHOTS when
 * the README does not show it.
 */
export async function screenshot(page: Page, name: string, inReadme = true): Promise<void> {
  const dir = inReadme ? SCREENSHOTS : ARTIFACT_SCREENSHOTS;
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/**
 * Screenshots of the page, without the admin's banners, at this window size: `name`.png in the
 * light theme, then `name`-dark.png in the dark one (reloaded, then `ready` waits for what must
 * be drawn); `inReadme` says which of the two the README shows (the others go to
 * ARTIFACT_SCREENSHOTS). Leaves the light theme set for the next load, and the window at that size.
 */
export async function screenshotBothThemes(
  page: Page,
  name: string,
  size: { width: number; height: number },
  ready: () => Promise<unknown>,
  inReadme: { light: boolean; dark: boolean } = { light: true, dark: true }
): Promise<void> {
  await dismissBanners(page);
  await page.setViewportSize(size);
  await screenshot(page, name, inReadme.light);
  await page.evaluate(`localStorage.setItem('STRAPI_THEME', 'dark')`);
  await page.reload();
  await ready();
  await screenshot(page, `${name}-dark`, inReadme.dark);
  await page.evaluate(`localStorage.setItem('STRAPI_THEME', 'light')`);
}
