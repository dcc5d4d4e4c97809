import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { BROWSER_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { eventRows } from '../helpers/aggregates';

// The first-party tracker (server/src/tracker/tracker.js) in a real browser: Debian's chromium,
// driven by playwright-core, loads the script cross-origin from a test site on another port, as a
// real site would, and the test reads what Strapi stored. The test files have no DOM typings, so
// code run in the page is passed as strings.

const ARTICLE = 'api::article.article';

type Row = Record<string, unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The snippet a site puts before the script so that calls made before it loads are kept.
const QUEUE_SNIPPET =
  'window.usageAnalytics = window.usageAnalytics || function () {' +
  ' (window.usageAnalytics.q = window.usageAnalytics.q || []).push(arguments) };' +
  " usageAnalytics('early', { a: 1 });";

const html = (head: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Test site</title>
<link rel="icon" href="data:,">
${head}
</head>
<body style="margin:0">
<main style="height:3000px">
<h1>A story</h1>
<p><a id="to-comments" href="#comments">Comments</a></p>
</main>
<section id="comments" style="height:600px">Comments</section>
${body}
</body>
</html>`;

describe('first-party tracker in a real browser', () => {
  let app: TestApp;
  let knex: Knex;
  let article: string;
  let browser: Browser;
  let site: http.Server;
  let siteOrigin: string;
  let scriptUrl: string;
  const contexts = new Set<BrowserContext>();

  /** Pages of the test site: /article/… names the entry on the script tag, /meta/… in meta tags. */
  const servePage = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? '/', siteOrigin).pathname;
    if (path.startsWith('/article/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        html(
          `<script defer src="${scriptUrl}" data-content-type="${ARTICLE}" data-document-id="${article}" data-locale="en"></script>`,
          ''
        )
      );
    } else if (path.startsWith('/meta/')) {
      // Under Cross-Origin-Embedder-Policy: require-corp, chromium blocks a cross-origin script
      // (ERR_BLOCKED_BY_RESPONSE) unless it answers Cross-Origin-Resource-Policy: cross-origin.
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(
        html(
          `<meta name="usage-analytics:content-type" content="${ARTICLE}">
<meta name="usage-analytics:document-id" content="${article}">
<meta name="usage-analytics:locale" content="en">
<script>${QUEUE_SNIPPET}</script>
<script defer src="${scriptUrl}"></script>`,
          ''
        )
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  };

  interface Visit {
    page: Page;
    /** Console errors, page errors and failed requests: should stay empty. */
    problems: string[];
    /** What the tracking endpoint answered to each event the page sent. */
    answers: { status: number; dropped: string | undefined }[];
    script: { status: number; corp: string | undefined; contentType: string | undefined };
  }

  /** Opens a page of the test site in a fresh browser context with a desktop Chrome UA. */
  async function visit(path: string, referer?: string): Promise<Visit> {
    const context = await browser.newContext({
      userAgent: BROWSER_UA,
      viewport: { width: 1280, height: 720 },
    });
    contexts.add(context);
    const page = await context.newPage();
    const problems: string[] = [];
    const answers: Visit['answers'] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) =>
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`)
    );
    page.on('response', (response) => {
      if (response.url().endsWith('/api/usage-analytics/track')) {
        answers.push({
          status: response.status(),
          dropped: response.headers()['x-usage-analytics-dropped'],
        });
      }
    });
    const scriptResponse = page.waitForResponse((r) => r.url() === scriptUrl);
    await page.goto(`${siteOrigin}${path}`, { referer, waitUntil: 'load' });
    const script = await scriptResponse;
    return {
      page,
      problems,
      answers,
      script: {
        status: script.status(),
        corp: script.headers()['cross-origin-resource-policy'],
        contentType: script.headers()['content-type'],
      },
    };
  }

  /** The tracker's rows for paths under `prefix`, polled until `done` holds or 10 s pass. */
  async function rowsUnder(prefix: string, done: (rows: Row[]) => boolean): Promise<Row[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await flushPlugin(app);
      const rows: Row[] = await eventRows(knex)
        .where({ source: 'tracker' })
        .andWhere('path', 'like', `${prefix}%`)
        .orderBy('id');
      if (done(rows) || Date.now() > deadline) return rows;
      await sleep(100);
    }
  }

  const ofKind = (rows: Row[], kind: string) => rows.filter((r) => r.kind === kind);

  beforeAll(async () => {
    app = await bootApp({ env: { TRUST_PROXY: 'false' } });
    knex = app.strapi.db.connection as unknown as Knex;
    article = await publishArticle(app, 'Browser story');
    const api = app.strapi.server.httpServer;
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    scriptUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/usage-analytics/script.js`;

    site = http.createServer(servePage);
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts.clear();
  });

  afterAll(async () => {
    await browser?.close();
    if (site) await new Promise((resolve) => site.close(resolve));
    await app?.stop();
  });

  /** Waits until the browser has had at least `count` answers from the tracking endpoint. */
  async function answered(v: Visit, count: number) {
    const deadline = Date.now() + 10_000;
    while (v.answers.length < count && Date.now() < deadline) await sleep(50);
    expect(v.answers.length).toBeGreaterThanOrEqual(count);
  }

  /** Every event was accepted and recorded, and the page logged no error. */
  function expectClean(v: Visit) {
    expect(v.problems).toEqual([]);
    expect(v.answers.length).toBeGreaterThan(0);
    expect(v.answers.filter((a) => a.status !== 202 || a.dropped)).toEqual([]);
  }

  const entry = () => ({ content_type: ARTICLE, document_id: article, locale: 'en' });
  const desktopChrome = { device: 'desktop', browser: 'Chrome', os: 'Windows' };

  it('loads cross-origin and stores pageviews with path, referrer, UTM, entry and device', async () => {
    const v = await visit(
      '/article/t1/story?utm_source=newsletter&utm_medium=email&utm_campaign=autumn&session=secret#top',
      'https://www.google.com/'
    );
    expect(v.script).toEqual({
      status: 200,
      corp: 'cross-origin',
      contentType: 'application/javascript; charset=utf-8',
    });
    expect(await v.page.evaluate('document.referrer')).toBe('https://www.google.com/');

    let rows = await rowsUnder('/article/t1/', (r) => ofKind(r, 'pageview').length >= 1);
    expect(ofKind(rows, 'pageview')).toEqual([
      expect.objectContaining({
        source: 'tracker',
        path: '/article/t1/story',
        referrer_host: 'google.com',
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'autumn',
        ...entry(),
        ...desktopChrome,
        country: null,
        event_name: null,
        props: null,
        engaged_ms: null,
      }),
    ]);

    // A single-page app navigates with history.pushState: a second pageview, no referral.
    await v.page.evaluate("history.pushState({}, '', '/article/t1/next?utm_source=ignored')");
    rows = await rowsUnder('/article/t1/', (r) => ofKind(r, 'pageview').length >= 2);
    const pageviews = ofKind(rows, 'pageview');
    expect(pageviews).toHaveLength(2);
    expect(pageviews[1]).toMatchObject({
      path: '/article/t1/next',
      referrer_host: null,
      utm_source: 'ignored',
      ...desktopChrome,
    });
    expect(new Set(rows.map((r) => r.visitor_hash)).size).toBe(1);
    expectClean(v);
  });

  it('stores a custom event with its name and props, tied to the entry', async () => {
    const v = await visit('/article/t2/story');
    await rowsUnder('/article/t2/', (r) => ofKind(r, 'pageview').length >= 1);
    await v.page.evaluate("window.usageAnalytics('signup', { plan: 'pro' })");
    const rows = await rowsUnder('/article/t2/', (r) => ofKind(r, 'event').length >= 1);
    const events = ofKind(rows, 'event');
    expect(events).toEqual([
      expect.objectContaining({
        path: '/article/t2/story',
        event_name: 'signup',
        ...entry(),
        ...desktopChrome,
      }),
    ]);
    expect(JSON.parse(String(events[0].props))).toEqual({ plan: 'pro' });
    expectClean(v);
  });

  it('stores engaged time and scroll depth when the page is hidden', async () => {
    const started = Date.now();
    const v = await visit('/article/t3/story');
    await v.page.bringToFront();
    // The tracker only counts time while the page is visible and focused.
    expect(await v.page.evaluate('document.visibilityState')).toBe('visible');
    expect(await v.page.evaluate('document.hasFocus()')).toBe(true);
    await rowsUnder('/article/t3/', (r) => ofKind(r, 'pageview').length >= 1);
    // The pageview was sent when the tracker started counting, so this is later than that.
    const counting = Date.now();

    await v.page.evaluate('window.scrollTo(0, 1500)');
    // Scroll events are dispatched on the next animation frame.
    await v.page.evaluate(
      'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))'
    );
    const depth = await v.page.evaluate<number>(
      'Math.min(100, Math.round(((window.scrollY + window.innerHeight) / document.documentElement.scrollHeight) * 100))'
    );
    expect(depth).toBeGreaterThan(50);
    expect(depth).toBeLessThan(100);

    // Over one second of engagement, then the visitor switches tabs.
    await sleep(Math.max(0, counting + 1200 - Date.now()));
    await v.page.evaluate(
      "Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });" +
        "Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });" +
        "document.dispatchEvent(new Event('visibilitychange'))"
    );
    const elapsed = Date.now() - started;
    const rows = await rowsUnder('/article/t3/', (r) => ofKind(r, 'engagement').length >= 1);
    const engagement = ofKind(rows, 'engagement');
    expect(engagement).toEqual([
      expect.objectContaining({
        path: '/article/t3/story',
        scroll_depth: depth,
        event_name: null,
        ...entry(),
        ...desktopChrome,
      }),
    ]);
    expect(Number(engagement[0].engaged_ms)).toBeGreaterThanOrEqual(1000);
    expect(Number(engagement[0].engaged_ms)).toBeLessThanOrEqual(elapsed);
    expectClean(v);
  });

  it('reads the entry from meta tags and replays calls queued before the script loaded', async () => {
    // This page sends Cross-Origin-Embedder-Policy: require-corp, so the cross-origin script
    // only runs because it answers with Cross-Origin-Resource-Policy: cross-origin.
    const v = await visit('/meta/t4/story');
    expect(v.script.corp).toBe('cross-origin');
    const rows = await rowsUnder(
      '/meta/t4/',
      (r) => ofKind(r, 'pageview').length >= 1 && ofKind(r, 'event').length >= 1
    );
    expect(rows).toHaveLength(2);
    expect(ofKind(rows, 'pageview')).toEqual([
      expect.objectContaining({ path: '/meta/t4/story', referrer_host: null, ...entry() }),
    ]);
    const [early] = ofKind(rows, 'event');
    expect(early).toMatchObject({ path: '/meta/t4/story', event_name: 'early', ...entry() });
    expect(JSON.parse(String(early.props))).toEqual({ a: 1 });
    // The queue stub was replaced by the tracker's function.
    expect(await v.page.evaluate('typeof window.usageAnalytics.q')).toBe('undefined');
    expectClean(v);
  });

  it('does not count an in-page #anchor link as another pageview', async () => {
    const v = await visit('/article/t5/story');
    await answered(v, 1);
    await v.page.click('#to-comments');
    await v.page.evaluate("history.pushState({}, '', '/article/t5/next')");
    await rowsUnder('/article/t5/', (r) => r.some((row) => row.path === '/article/t5/next'));
    await sleep(300);
    // Two pageviews expected (story, next); the tracker also sends one for the #comments jump.
    const rows = await rowsUnder('/article/t5/', () => true);
    expect(ofKind(rows, 'pageview').map((r) => r.path)).toEqual([
      '/article/t5/story',
      '/article/t5/next',
    ]);
  });

  it("stops applying the script tag's entry after an SPA navigation to another page", async () => {
    const v = await visit('/article/t6/story');
    await rowsUnder('/article/t6/', (r) => ofKind(r, 'pageview').length >= 1);
    // The app shows another page, which is not the article.
    await v.page.evaluate("history.pushState({}, '', '/article/t6/about')");
    const rows = await rowsUnder('/article/t6/', (r) => ofKind(r, 'pageview').length >= 2);
    expect(ofKind(rows, 'pageview')[1]).toMatchObject({
      path: '/article/t6/about',
      content_type: null,
      document_id: null,
    });
  });
});
