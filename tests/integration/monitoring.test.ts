import pkg from '../../package.json';
import { PERMISSIONS } from '../../shared/permissions';
import type { HealthResponse } from '../../shared/contracts/health';
import { adminSession, type AdminSession } from '../helpers/admin';
import { publishArticle } from '../helpers/content';
import { bootApp, type TestApp } from '../helpers/strapi';
import { LogHistogram, RELATIVE_ACCURACY } from '../../server/src/monitoring/log-histogram';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const parsePrometheus = require('parse-prometheus-text-format') as (
  text: string
) => { name: string; type: string }[];

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * The sample lines of a text exposition. (parse-prometheus-text-format checks the whole text and
 * the families' types, but it folds the buckets of labelled histograms together.)
 */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[k] = v;
    }
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const TOKEN = 'monitoring-test-token-0123456789';
const SLO = 99;
type Health = HealthResponse['data'];

describe('system monitoring', () => {
  let app: TestApp;
  let reader: AdminSession;
  const monitoring = () => app.strapi.plugin('usage-analytics').service('monitoring');
  const knex = () => app.strapi.db.connection;
  const instanceId = () =>
    app.strapi.plugin('usage-analytics').service('plugin-config').instanceId() as string;

  const health = async (query: Record<string, string>): Promise<Health> => {
    const res = await app
      .http()
      .get('/usage-analytics/health')
      .query(query)
      .set('Authorization', `Bearer ${reader.token}`);
    expect(res.status).toBe(200);
    return res.body.data;
  };

  beforeAll(async () => {
    app = await bootApp({
      pluginConfig: {
        metrics: { enabled: true, token: TOKEN },
        monitoring: { enabled: true, excludePaths: ['/_health'] },
        uptime: { slo: SLO },
      },
    });
    reader = await adminSession(app, { actions: [PERMISSIONS.read] });
  });
  afterAll(() => app?.stop());

  describe('known traffic', () => {
    let documentId: string;
    const slowSleeps = [20, 40, 60, 80, 100, 120, 140, 160, 180, 200];
    const slowClientMs: number[] = [];
    let range: { from: string; to: string };

    beforeAll(async () => {
      documentId = await publishArticle(app, 'Monitored article');
      // Start from empty request stats: everything before (boot, login) is written, then removed.
      await monitoring().flush(true);
      await knex()('ua_request_stats').delete();
      const started = Date.now();

      for (let i = 0; i < 20; i += 1) {
        expect((await app.http().get(`/api/articles/${documentId}`)).status).toBe(200);
      }
      for (let i = 0; i < 5; i += 1) {
        expect((await app.http().get('/api/articles/no-such-document')).status).toBe(404);
      }
      for (let i = 0; i < 3; i += 1) {
        expect((await app.http().get('/api/probe/fail')).status).toBe(500);
      }
      for (const ms of slowSleeps) {
        const t0 = performance.now();
        expect((await app.http().get('/api/probe/slow').query({ ms })).status).toBe(200);
        slowClientMs.push(performance.now() - t0);
      }
      for (let i = 0; i < 2; i += 1) {
        expect((await app.http().get(`/no/such/path/${i}`)).status).toBe(404);
      }
      for (let i = 0; i < 4; i += 1) {
        expect((await app.http().get('/_health')).status).toBe(204);
      }
      for (let i = 0; i < 2; i += 1) {
        const res = await app
          .http()
          .post('/api/usage-analytics/track')
          .set('Content-Type', 'text/plain')
          .send('not json');
        expect(res.status).toBe(400);
      }
      await monitoring().flush(true);
      range = {
        from: new Date(started - 60_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      };
    });

    it('writes one row per minute, method, route pattern and status class, never a raw URL', async () => {
      const rows = await knex()('ua_request_stats').select();
      const routes = new Set(rows.map((r: { route: string }) => r.route));
      expect([...routes].sort()).toEqual(
        [
          '(unmatched)',
          '/api/articles/:id',
          '/api/probe/fail',
          '/api/probe/slow',
          '/api/usage-analytics/track',
        ].sort()
      );
      for (const row of rows) {
        expect(row.route).not.toContain(documentId);
        expect(row.instance_id).toBe(instanceId());
        expect(Number(row.minute) % 60_000).toBe(0);
      }
      const count = (route: string, statusClass: number) =>
        rows
          .filter(
            (r: { route: string; status_class: number }) =>
              r.route === route && Number(r.status_class) === statusClass
          )
          .reduce((n: number, r: { count: number }) => n + Number(r.count), 0);
      expect(count('/api/articles/:id', 2)).toBe(20);
      expect(count('/api/articles/:id', 4)).toBe(5);
      expect(count('/api/probe/fail', 5)).toBe(3);
      expect(count('/api/probe/slow', 2)).toBe(10);
      expect(count('(unmatched)', 4)).toBe(2);
      expect(count('/api/usage-analytics/track', 4)).toBe(2);
    });

    it('reports exact counts, error rate and request SLI', async () => {
      const data = await health({ ...range, interval: 'minute' });
      expect(data.interval).toBe('minute');
      expect(data.totals).toEqual({ requests: 42, errors: 3, clientErrors: 9 });
      expect(data.statusClasses).toEqual({ 2: 30, 4: 9, 5: 3 });
      expect(data.throughput.reduce((n, p) => n + p.requests, 0)).toBe(42);
      expect(data.throughput.reduce((n, p) => n + p.errors, 0)).toBe(3);
      expect(data.errorRate).toBeCloseTo(3 / 42, 4);
      // 4xx are excluded from the SLI: good = 42 − 9 − 3, valid = 42 − 9.
      expect(data.uptime.requestSli).toBeCloseTo((100 * 30) / 33, 3);
      const route = (r: string) => data.slowestRoutes.find((s) => s.route === r)!;
      expect(route('/api/articles/:id')).toMatchObject({ method: 'GET', count: 25, errorRate: 0 });
      expect(route('/api/probe/fail')).toMatchObject({ method: 'GET', count: 3, errorRate: 1 });
      expect(route('(unmatched)').count).toBe(2);
      expect(route('/api/usage-analytics/track')).toMatchObject({ method: 'POST', count: 2 });
      expect(data.slowestRoutes[0].route).toBe('/api/probe/slow');
    });

    it('reports the slow route percentiles within the histogram error', async () => {
      const data = await health({ ...range, interval: 'minute' });
      const slow = data.slowestRoutes.find((s) => s.route === '/api/probe/slow')!;
      expect(slow.count).toBe(10);
      const client = [...slowClientMs].sort((a, b) => a - b);
      for (const [q, value] of [
        [0.5, slow.p50],
        [0.95, slow.p95],
        [0.99, slow.p99],
      ] as const) {
        const rank = Math.floor(q * 9);
        // The server's time lies between the sleep and what the client measured around it.
        expect(value).toBeGreaterThanOrEqual((slowSleeps[rank] - 1) * (1 - RELATIVE_ACCURACY));
        expect(value).toBeLessThanOrEqual(client[rank] * (1 + RELATIVE_ACCURACY));
      }
      // The minute rows hold the exact extremes; the report is consistent with them.
      const rows = await knex()('ua_request_stats').where({ route: '/api/probe/slow' });
      const merged = new LogHistogram();
      for (const r of rows) merged.merge(JSON.parse(r.histogram));
      expect(merged.total).toBe(10);
      const min = Math.min(...rows.map((r: { min_ms: number }) => Number(r.min_ms)));
      expect(min).toBeGreaterThanOrEqual(19);
    });

    it('reports the same totals at interval=hour', async () => {
      const data = await health({ ...range, interval: 'hour' });
      expect(data.totals).toEqual({ requests: 42, errors: 3, clientErrors: 9 });
    });

    it('serves Prometheus metrics only with the bearer token', async () => {
      expect((await app.http().get('/api/usage-analytics/metrics')).status).toBe(401);
      expect(
        (
          await app
            .http()
            .get('/api/usage-analytics/metrics')
            .set('Authorization', 'Bearer wrong-token-wrong-token-wrong')
        ).status
      ).toBe(401);
      const res = await app
        .http()
        .get('/api/usage-analytics/metrics')
        .set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).not.toContain(documentId);

      const families = parsePrometheus(res.text);
      const family = (name: string) => families.find((f) => f.name === name);
      expect(family('http_server_request_duration_seconds')?.type).toBe('HISTOGRAM');
      const all = samples(res.text);
      const series = (suffix: string, method: string, route: string, code: string) =>
        all.filter(
          (s) =>
            s.name === `http_server_request_duration_seconds_${suffix}` &&
            s.labels.http_request_method === method &&
            s.labels.http_route === route &&
            s.labels.http_response_status_code === code
        );
      const value = (suffix: string, method: string, route: string, code: string) => {
        const found = series(suffix, method, route, code);
        expect(found).toHaveLength(1);
        return found[0].value;
      };
      expect(value('count', 'GET', '/api/probe/fail', '500')).toBe(3);
      expect(value('count', 'GET', '/api/articles/:id', '404')).toBe(5);
      expect(value('count', 'GET', '/api/articles/:id', '200')).toBeGreaterThanOrEqual(20);
      expect(value('count', 'GET', '(unmatched)', '404')).toBe(2);
      expect(value('count', 'POST', '/api/usage-analytics/track', '400')).toBe(2);
      expect(value('count', 'GET', '/api/probe/slow', '200')).toBe(10);
      const buckets = series('bucket', 'GET', '/api/probe/slow', '200');
      expect(buckets.map((b) => b.labels.le)).toEqual([
        '0.005',
        '0.01',
        '0.025',
        '0.05',
        '0.075',
        '0.1',
        '0.25',
        '0.5',
        '0.75',
        '1',
        '2.5',
        '5',
        '7.5',
        '10',
        '+Inf',
      ]);
      // Cumulative buckets against the known sleeps (20…200 ms): none under 10 ms, all by 10 s,
      // at most the four of 20–80 ms under 100 ms, and at least the ones of 20 ms… under 250 ms.
      const le = (bound: string) => buckets.find((b) => b.labels.le === bound)!.value;
      expect(le('0.01')).toBe(0);
      expect(le('0.1')).toBeLessThanOrEqual(4);
      expect(le('10')).toBe(10);
      expect(le('+Inf')).toBe(10);
      const client = [...slowClientMs].sort((a, b) => a - b);
      expect(le('0.25')).toBeGreaterThanOrEqual(client.filter((ms) => ms <= 250).length);
      const sum = value('sum', 'GET', '/api/probe/slow', '200');
      expect(sum).toBeGreaterThanOrEqual(slowSleeps.reduce((a, b) => a + b) / 1000 - 0.01);
      expect(sum).toBeLessThanOrEqual(slowClientMs.reduce((a, b) => a + b) / 1000);
      const duration = {
        metrics: all.filter((s) => s.name.startsWith('http_server_request_duration_seconds')),
      };
      // Excluded paths are not timed.
      expect(duration.metrics.some((m) => m.labels.http_route === '/_health')).toBe(false);
      // Only the three OpenTelemetry labels (plus le): nothing per content entry.
      for (const m of duration.metrics) {
        expect(
          Object.keys(m.labels)
            .filter((k) => k !== 'le')
            .sort()
        ).toEqual(['http_request_method', 'http_response_status_code', 'http_route']);
      }
      for (const name of [
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_p99_seconds',
        'usage_analytics_events_accepted_total',
        'usage_analytics_events_flushed_total',
        'usage_analytics_flush_errors_total',
        'usage_analytics_events_dropped_total',
      ]) {
        expect(family(name)).toBeDefined();
      }
    });
  });

  it('stores resource samples and heartbeats with the instance id', async () => {
    await monitoring().writeSample();
    await monitoring().writeHeartbeat();
    const sample = await knex()('ua_system_samples').orderBy('ts', 'desc').first();
    expect(sample.instance_id).toBe(instanceId());
    expect(Number(sample.rss)).toBeGreaterThan(10_000_000);
    expect(Number(sample.heap_used)).toBeGreaterThan(0);
    expect(Number(sample.heap_total)).toBeGreaterThanOrEqual(Number(sample.heap_used));
    expect(Number(sample.cpu_pct)).toBeGreaterThanOrEqual(0);
    expect(Number(sample.event_loop_p99_ms)).toBeGreaterThanOrEqual(
      Number(sample.event_loop_p50_ms)
    );
    expect(Number(sample.db_pool_used) + Number(sample.db_pool_free)).toBeGreaterThan(0);

    const now = Date.now();
    const data = await health({
      from: new Date(now - 10 * 60_000).toISOString(),
      to: new Date(now + 60_000).toISOString(),
    });
    const mine = data.resources.filter((r) => r.instance === instanceId());
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[mine.length - 1].rss).toBeGreaterThan(10_000_000);
    expect(data.instances).toEqual([
      { id: instanceId(), lastSeen: expect.any(String), version: pkg.version },
    ]);
  });

  it('computes availability from heartbeat minutes against the SLO', async () => {
    const now = Date.now();
    const end = now - (now % 60_000) - 60 * 60_000;
    const start = end - 1000 * 60_000;
    await knex()('ua_heartbeats').delete();
    const rows = [];
    // 995 of 1000 minutes have a heartbeat; two instances overlap on some minutes.
    const missing = new Set([3, 250, 251, 700, 999]);
    for (let i = 0; i < 1000; i += 1) {
      const minute = start + i * 60_000;
      if (!missing.has(i)) rows.push({ instance_id: 'node-a', minute, version: '0.0.1' });
      if (i % 3 === 0 && !missing.has(i))
        rows.push({ instance_id: 'node-b', minute, version: '0.0.2' });
    }
    for (let i = 0; i < rows.length; i += 200) {
      await knex()('ua_heartbeats').insert(rows.slice(i, i + 200));
    }
    const data = await health({
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
    });
    expect(data.uptime).toMatchObject({
      minutes: 1000,
      healthyMinutes: 995,
      availability: 99.5,
      slo: SLO,
      errorBudgetRemaining: 50,
    });
    expect(data.instances.map((i) => [i.id, i.version])).toEqual([
      ['node-a', '0.0.1'],
      ['node-b', '0.0.2'],
    ]);
    expect(data.instances[0].lastSeen).toBe(new Date(start + 998 * 60_000).toISOString());
  });

  it('logs its effective configuration at startup', () => {
    expect(
      app.logs.some((l) =>
        /monitoring on \(instance .+, samples every 15000 ms, SLO 99 %, excluding \/_health\), Prometheus \/metrics on/.test(
          l.message
        )
      )
    ).toBe(true);
  });

  it('keeps request stats through a failed write, logs the failure with counts, and writes them later', async () => {
    await monitoring().flush(true);
    await knex()('ua_request_stats').delete();
    for (let i = 0; i < 3; i += 1) await app.http().get('/api/probe/slow?ms=1');
    await knex().schema.renameTable('ua_request_stats', 'ua_request_stats_away');
    try {
      await monitoring().flush(true);
    } finally {
      await knex().schema.renameTable('ua_request_stats_away', 'ua_request_stats');
    }
    const failures = monitoring().stats().flushErrors;
    expect(failures).toBeGreaterThanOrEqual(1);
    expect(
      app.logs.some(
        (l) =>
          l.level === 'warn' &&
          /request stats: write failed \(\d+ failures so far, \d+ minutes kept, 0 dropped\)/.test(
            l.message
          )
      )
    ).toBe(true);
    await monitoring().flush(true);
    const rows = await knex()('ua_request_stats').where({ route: '/api/probe/slow' });
    expect(rows.reduce((n: number, r: { count: number }) => n + Number(r.count), 0)).toBe(3);
  });

  describe('access and validation', () => {
    const get = (query: Record<string, string>, token?: string) => {
      const req = app.http().get('/usage-analytics/health').query(query);
      return token ? req.set('Authorization', `Bearer ${token}`) : req;
    };

    it('answers 401 without an admin and 403 to a role without read', async () => {
      expect((await get({})).status).toBe(401);
      const editor = await adminSession(app, { code: 'strapi-editor' });
      expect((await get({}, editor.token)).status).toBe(403);
      expect((await get({}, reader.token)).status).toBe(200);
    });

    it.each([
      [{ interval: 'week' }],
      [{ from: 'yesterday' }],
      [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
      [{ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
      [{ from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z', interval: 'minute' }],
      [{ unknown: '1' }],
    ])('answers 400 to %j', async (query) => {
      const res = await get(query, reader.token);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toEqual(expect.any(String));
    });
  });
});

describe('Prometheus endpoint, default configuration', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootApp();
  });
  afterAll(() => app?.stop());

  it('is off: 404 with or without a token', async () => {
    expect((await app.http().get('/api/usage-analytics/metrics')).status).toBe(404);
    expect(
      (await app.http().get('/api/usage-analytics/metrics').set('Authorization', `Bearer ${TOKEN}`))
        .status
    ).toBe(404);
  });
});
