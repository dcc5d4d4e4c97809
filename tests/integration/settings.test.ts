import type { Knex } from 'knex';
import perfHooks from 'node:perf_hooks';
import type { SettingsResponse } from '../../shared/contracts/settings';
import { DROPPED_HEADER } from '../../shared/contracts/track';
import { PERMISSIONS } from '../../shared/permissions';
import { createStoredSettings } from '../../server/src/config/stored-settings';
import { adminSession, type AdminSession } from '../helpers/admin';
import { BROWSER_UA, flushPlugin, publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS } from '../../shared/time';

// The settings page's API: overrides stored in the database on top of config/plugins, applied
// to the running app without a restart, validated, audited, and kept across restarts.

const TOKEN = 'settings-test-token-0123456789';
const PLUGIN_CONFIG = { metrics: { enabled: false, token: TOKEN }, retention: { rawDays: 30 } };

describe('settings API', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  let articleId: string;

  const settingsOf = (session: AdminSession | null) => {
    const req = app.http().get('/usage-analytics/settings');
    return session ? req.set('Authorization', `Bearer ${session.token}`) : req;
  };
  /** PUT as the admin page does it: with the version of the settings it read (GET). */
  const putAt = (version: unknown, body: unknown, session: AdminSession | null = admin) => {
    const req = app.http().put('/usage-analytics/settings');
    const withVersion =
      body && typeof body === 'object' && !Array.isArray(body) && version !== undefined
        ? { ...body, version }
        : body;
    return (session ? req.set('Authorization', `Bearer ${session.token}`) : req).send(
      withVersion as object
    );
  };
  const currentVersion = async () => (await settingsOf(admin)).body.data.version as number;
  const put = async (body: unknown, session: AdminSession | null = admin) =>
    putAt(await currentVersion(), body, session);
  const readArticle = (ip: string) =>
    app
      .http()
      .get(`/api/articles/${articleId}`)
      .set({ 'user-agent': BROWSER_UA, 'x-forwarded-for': ip });
  const track = (ip: string, url: string) =>
    app
      .http()
      .post('/api/usage-analytics/track')
      .set({ 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip })
      .send(JSON.stringify({ type: 'pageview', url }));
  const apiReadsStored = async () => {
    await flushPlugin(app);
    return (await knex('ua_events').where({ kind: 'api_read' }).select('id')).length;
  };
  const boot = async (
    keepDatabase: boolean,
    pluginConfig: Record<string, unknown> = PLUGIN_CONFIG
  ) => {
    app = await bootApp({ pluginConfig, keepDatabase, env: { TRUST_PROXY: 'true' } });
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
  };

  beforeAll(async () => {
    await boot(false);
    articleId = await publishArticle(app, 'Settings story');
  });
  afterAll(() => app?.stop());

  it('shows the effective and file values, none overridden, and never the metrics token', async () => {
    const res = await settingsOf(admin);
    expect(res.status).toBe(200);
    const data = (res.body as SettingsResponse).data;
    expect(data.overridden).toEqual([]);
    expect(data.effective).toEqual(data.file);
    expect(data.effective).toMatchObject({
      enabled: true,
      trackApiReads: true,
      sampleRate: 1,
      excludePaths: [],
      'retention.rawDays': 30,
      'metrics.enabled': false,
    });
    expect(data.metricsTokenSet).toBe(true);
    expect(data.fileOnly).toContainEqual({ key: 'metrics.token', value: true, secret: true });
    expect(data.fileOnly).toContainEqual({ key: 'flush.intervalMs', value: 1000 });
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it('needs the settings permission: 401 anonymous, 403 for a role with read only', async () => {
    expect((await settingsOf(null)).status).toBe(401);
    expect((await put({ sampleRate: 0.5 }, null)).status).toBe(401);
    const reader = await adminSession(app, { actions: [PERMISSIONS.read, PERMISSIONS.export] });
    expect((await settingsOf(reader)).status).toBe(403);
    expect((await put({ trackApiReads: false }, reader)).status).toBe(403);
    const manager = await adminSession(app, { actions: [PERMISSIONS.settings] });
    expect((await settingsOf(manager)).status).toBe(200);
    // Nothing was changed by the refused requests.
    expect((await settingsOf(admin)).body.data.overridden).toEqual([]);
  });

  it('trackApiReads=false stops counting Content API reads at once, and a reset restores it', async () => {
    await knex('ua_events').delete();
    expect((await readArticle('203.0.113.1')).status).toBe(200);
    expect(await apiReadsStored()).toBe(1);

    const off = await put({ trackApiReads: false });
    expect(off.status).toBe(200);
    expect(off.body.data.effective.trackApiReads).toBe(false);
    expect(off.body.data.file.trackApiReads).toBe(true);
    expect(off.body.data.overridden).toEqual(['trackApiReads']);
    expect((await readArticle('203.0.113.2')).status).toBe(200);
    expect(await apiReadsStored()).toBe(1);

    const audit = app.logs.filter(
      (l) => l.level === 'info' && l.message.includes('settings changed')
    );
    expect(audit.at(-1)!.message).toBe(
      `[usage-analytics] settings changed by admin user id ${await adminId(admin.email)} (${admin.email}): trackApiReads true → false`
    );

    const reset = await put({ trackApiReads: null });
    expect(reset.status).toBe(200);
    expect(reset.body.data.overridden).toEqual([]);
    expect(reset.body.data.effective.trackApiReads).toBe(true);
    expect(app.logs.at(-1)!.message).toMatch(
      /settings changed by admin user id \d+ \(.+\): trackApiReads false → true \(reset to config\/plugins\)$/
    );
    expect((await readArticle('203.0.113.3')).status).toBe(200);
    expect(await apiReadsStored()).toBe(2);
  });

  it('sampleRate and excludePaths apply to the next event', async () => {
    const sampled = await put({ sampleRate: 1e-9 });
    expect(sampled.status).toBe(200);
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      const res = await track(ip, 'https://site.example/news/1');
      expect(res.status).toBe(202);
      expect(res.headers[DROPPED_HEADER]).toBe('sampled');
    }

    const excluded = await put({ sampleRate: null, excludePaths: ['/private'] });
    expect(excluded.status).toBe(200);
    expect(excluded.body.data.effective).toMatchObject({
      sampleRate: 1,
      excludePaths: ['/private'],
    });
    const hidden = await track('198.51.100.4', 'https://site.example/private/report');
    expect(hidden.headers[DROPPED_HEADER]).toBe('excluded');
    const shown = await track('198.51.100.4', 'https://site.example/public/report');
    expect(shown.status).toBe(202);
    expect(shown.headers[DROPPED_HEADER]).toBeUndefined();
    await flushPlugin(app);
    const paths = (await knex('ua_events').select('path')).map((r) => r.path);
    expect(paths).toContain('/public/report');
    expect(paths).not.toContain('/private/report');
    expect(app.logs.at(-1)!.message).toMatch(
      /: excludePaths \[\] → \["\/private"\]; sampleRate 1e-9 → 1 \(reset to config\/plugins\)$/
    );
  });

  it('retention.rawDays applies at the next retention run', async () => {
    // Events of the tests before may still be in the buffer: write them first.
    await flushPlugin(app);
    await knex('ua_events').delete();
    const now = Date.now();
    await knex('ua_events').insert(
      [3, 10].map((days) => ({
        ts: now - days * DAY_MS,
        kind: 'pageview',
        source: 'tracker',
        path: `/old-${days}`,
        visitor_hash: `retention-${days}`,
        hits: 1,
      }))
    );
    expect((await put({ 'retention.rawDays': 5 })).status).toBe(200);
    const deleted = await app.strapi.plugin('usage-analytics').service('retention').runOnce(now);
    expect(deleted.ua_events).toBe(1);
    expect((await knex('ua_events').select('path')).map((r) => r.path)).toEqual(['/old-3']);
    expect((await put({ 'retention.rawDays': null })).status).toBe(200);
  });

  it('turns the Prometheus endpoint on and off without a restart', async () => {
    const scrape = () =>
      app.http().get('/api/usage-analytics/metrics').set('Authorization', `Bearer ${TOKEN}`);
    // Requests timed since metrics were turned on, from the registry of this scrape.
    const articleReads = (text: string) =>
      Number(
        /^http_server_request_duration_seconds_count\{[^}]*http_route="\/api\/articles"[^}]*\} (\d+)$/m.exec(
          text
        )?.[1] ?? 0
      );
    expect((await scrape()).status).toBe(404);
    expect((await put({ 'metrics.enabled': true })).status).toBe(200);
    // Timed from the moment metrics are on, not from the first scrape.
    expect((await app.http().get('/api/articles')).status).toBe(200);
    const on = await scrape();
    expect(on.status).toBe(200);
    expect(on.text).toContain('usage_analytics_events_accepted_total');
    expect(articleReads(on.text)).toBe(1);
    expect((await put({ 'metrics.enabled': false })).status).toBe(200);
    expect((await scrape()).status).toBe(404);
    // Off: not timed; on again: counted afresh.
    await app.http().get('/api/articles');
    expect((await put({ 'metrics.enabled': true })).status).toBe(200);
    await app.http().get('/api/articles');
    expect(articleReads((await scrape()).text)).toBe(1);
    expect((await put({ 'metrics.enabled': false })).status).toBe(200);
  });

  it('starts no new GC observer or event-loop monitor when metrics are switched off and on', async () => {
    // prom-client's default metrics start both and cannot stop them: count what is started.
    const observe = jest.spyOn(perfHooks.PerformanceObserver.prototype, 'observe');
    const monitor = jest.spyOn(perfHooks, 'monitorEventLoopDelay');
    let gcObservers = 0;
    let loopMonitors = 0;
    try {
      for (let i = 0; i < 5; i += 1) {
        expect((await put({ 'metrics.enabled': true })).status).toBe(200);
        expect((await put({ 'metrics.enabled': false })).status).toBe(200);
      }
      gcObservers = observe.mock.calls.filter(([options]) =>
        JSON.stringify(options).includes('"gc"')
      ).length;
      loopMonitors = monitor.mock.calls.length;
    } finally {
      observe.mockRestore();
      monitor.mockRestore();
    }
    // Once per process at most (this file may have started them in the test before).
    expect(gcObservers).toBeLessThanOrEqual(1);
    expect(loopMonitors).toBeLessThanOrEqual(1);

    // The process metrics are still served when metrics are on.
    expect((await put({ 'metrics.enabled': true })).status).toBe(200);
    const text = (
      await app.http().get('/api/usage-analytics/metrics').set('Authorization', `Bearer ${TOKEN}`)
    ).text;
    expect(text).toContain('nodejs_gc_duration_seconds');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('process_cpu_seconds_total');
    expect((await put({ 'metrics.enabled': false })).status).toBe(200);
  });

  it('answers 400 with a message per key for bad values and unknown keys, and changes nothing', async () => {
    const before = (await settingsOf(admin)).body.data;
    const res = await put({
      sampleRate: 2,
      excludePaths: ['/ok', 'no-slash'],
      trackApiReads: 'yes',
      'metrics.token': 'a-new-secret-token-123456',
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    const errors = Object.fromEntries(
      (res.body.error.details.errors as Array<{ path: string[]; message: string }>).map((e) => [
        e.path.join('.'),
        e.message,
      ])
    );
    expect(errors).toEqual({
      sampleRate: 'must be greater than 0 and at most 1 (got 2)',
      excludePaths: 'must be paths starting with "/" (item 1) (got "no-slash")',
      trackApiReads: 'must be true or false (got "yes")',
      'metrics.token': expect.stringMatching(/^is not a setting that can be changed here/),
      colour: expect.stringMatching(
        /^is not a setting that can be changed here \(editable: enabled, /
      ),
    });
    expect(res.body.error.message).toContain('"sampleRate" must be greater than 0 and at most 1');

    // Rules across keys, and content types the app does not have.
    const crossed = await put({ 'retention.rawDays': 1000 });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.details.errors).toEqual([
      { path: ['retention.rawDays'], message: 'must be at most retention.aggregateDays (730)' },
    ]);
    const unknownType = await put({ excludeContentTypes: ['api::nothing.nothing'] });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.details.errors).toEqual([
      {
        path: ['excludeContentTypes'],
        message: 'names content types this app does not have: api::nothing.nothing',
      },
    ]);
    expect((await put([1, 2])).status).toBe(400);

    expect((await settingsOf(admin)).body.data).toEqual(before);
  });

  it('refuses a PUT without the version it was read at', async () => {
    const res = await putAt(undefined, { sampleRate: 0.5 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors).toEqual([
      {
        path: ['version'],
        message: 'is required: the version of the settings read with GET (got nothing)',
      },
    ]);
    expect((await settingsOf(admin)).body.data.effective.sampleRate).toBe(1);
  });

  it('answers a stale PUT with 409 and the current values, and keeps the newer save', async () => {
    const read = (await settingsOf(admin)).body.data as SettingsResponse['data'];
    // Saved meanwhile from another tab: the version moves on.
    const first = await putAt(read.version, { excludePaths: ['/from-tab-one'] });
    expect(first.status).toBe(200);
    expect(first.body.data.version).toBe(read.version + 1);

    const stale = await putAt(read.version, { excludePaths: ['/from-tab-two'], sampleRate: 0.5 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ status: 409, name: 'ConflictError' });
    expect(stale.body.error.message).toMatch(/^The settings were saved meanwhile/);
    const current = stale.body.error.details.current as SettingsResponse['data'];
    expect(current.version).toBe(read.version + 1);
    expect(current.effective).toMatchObject({ excludePaths: ['/from-tab-one'], sampleRate: 1 });
    expect((await settingsOf(admin)).body.data.effective).toEqual(current.effective);

    // With the current version, the same change goes through.
    const retried = await putAt(current.version, { excludePaths: null });
    expect(retried.status).toBe(200);
    expect(retried.body.data.effective.excludePaths).toEqual([]);
  });

  it('of concurrent PUTs read at one version, exactly one is saved', async () => {
    // Listening once, so supertest sends the concurrent requests to one server.
    const server = app.strapi.server.httpServer;
    if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const version = await currentVersion();
    const paths = ['/a', '/b', '/c', '/d', '/e', '/f'];
    const answers = await Promise.all(paths.map((p) => putAt(version, { excludePaths: [p] })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(paths.length - 1);
    const winner = paths[statuses.indexOf(200)];
    const stored = (await settingsOf(admin)).body.data as SettingsResponse['data'];
    expect(stored.effective.excludePaths).toEqual([winner]);
    expect(stored.version).toBe(version + 1);
    for (const answer of answers.filter((r) => r.status === 409)) {
      expect(answer.body.error.details.current.version).toBe(version + 1);
    }
    // Another instance sharing the database writes the same way: through one conditional UPDATE.
    const otherInstance = createStoredSettings(app.strapi);
    const raced = await Promise.all([
      otherInstance.compareAndSet(version + 1, { sampleRate: 0.25 }),
      otherInstance.compareAndSet(version + 1, { sampleRate: 0.75 }),
      putAt(version + 1, { sampleRate: 0.5 }),
    ]);
    const saved = [raced[0].ok, raced[1].ok, raced[2].status === 200];
    expect(saved.filter(Boolean)).toHaveLength(1);
    await app.strapi.plugin('usage-analytics').service('settings').reload();
    expect((await put({ sampleRate: null, excludePaths: null })).status).toBe(200);
  });

  it('picks up a change another instance stored, on its periodic reload', async () => {
    // What another instance's PUT leaves in the shared database.
    await app.strapi.store({ type: 'plugin', name: 'usage-analytics', key: 'settings' }).set({
      value: { overrides: { respectDoNotTrack: false }, updatedAt: new Date().toISOString() },
    });
    expect((await settingsOf(admin)).body.data.effective.respectDoNotTrack).toBe(true);
    await app.strapi.plugin('usage-analytics').service('settings').reload();
    const data = (await settingsOf(admin)).body.data;
    expect(data.effective.respectDoNotTrack).toBe(false);
    expect(data.overridden).toEqual(['respectDoNotTrack']);
    // The PUT on this instance starts from the stored overrides, so it keeps the other change.
    expect((await put({ excludePaths: null })).body.data.overridden).toEqual(['respectDoNotTrack']);
  });

  it('keeps the stored settings across a restart, and ignores those that no longer fit', async () => {
    expect((await put({ trackApiReads: false, 'retention.rawDays': 400 })).status).toBe(200);
    await app.stop();
    await boot(true);
    const kept = (await settingsOf(admin)).body.data;
    expect(kept.effective).toMatchObject({
      trackApiReads: false,
      respectDoNotTrack: false,
      'retention.rawDays': 400,
    });
    expect(kept.overridden.sort()).toEqual(
      ['respectDoNotTrack', 'retention.rawDays', 'trackApiReads'].sort()
    );
    await knex('ua_events').delete();
    expect((await readArticle('203.0.113.9')).status).toBe(200);
    expect(await apiReadsStored()).toBe(0);

    // config/plugins now keeps aggregates 300 days: a stored 400 raw days no longer fits.
    await app.stop();
    await boot(true, { ...PLUGIN_CONFIG, retention: { rawDays: 30, aggregateDays: 300 } });
    const data = (await settingsOf(admin)).body.data;
    expect(data.effective['retention.rawDays']).toBe(30);
    expect(data.effective.trackApiReads).toBe(false);
    expect(
      app.logs.some(
        (l) =>
          l.level === 'warn' &&
          l.message.includes('ignoring stored settings that do not fit config/plugins') &&
          l.message.includes('"retention.rawDays"')
      )
    ).toBe(true);
  });

  async function adminId(email: string): Promise<number> {
    const user = await app.strapi.db.query('admin::user').findOne({ where: { email } });
    return user.id;
  }
});
