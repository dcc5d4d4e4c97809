import { LogHistogram } from '../../server/src/monitoring/log-histogram';
import { seededRandom } from '../app/src/seeded-random';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/time';

interface Expected {
  values: number[];
  errors: number;
}

describe('monitoring rollup and retention', () => {
  let app: TestApp;
  const knex = () => app.strapi.db.connection;
  const service = (name: string) => app.strapi.plugin('usage-analytics').service(name);
  const now = Date.now();
  const day = now - (now % DAY_MS) - 3 * DAY_MS; // midnight three days ago
  const hours = [day + 22 * HOUR_MS, day + 23 * HOUR_MS, day + 24 * HOUR_MS, day + 25 * HOUR_MS];
  const byHour = new Map<string, Expected>();
  const byDay = new Map<string, Expected>();
  const samples: { hour: number; instance: string; cpu: number; rss: number; p99: number }[] = [];

  const add = (map: Map<string, Expected>, key: string, values: number[], errors: number) => {
    const e = map.get(key) ?? { values: [], errors: 0 };
    e.values.push(...values);
    e.errors += errors;
    map.set(key, e);
  };

  beforeAll(async () => {
    app = await bootApp({ pluginConfig: { retention: { rawDays: 2, aggregateDays: 4 } } });
    // No scheduled run racing the test for the lease, no live rows in the way of exact comparisons.
    await service('scheduler').stop();
    await service('monitoring').stop();
    await knex()('ua_request_stats').delete();
    await knex()('ua_system_samples').delete();
    await knex()('ua_heartbeats').delete();

    const next = seededRandom(2026);
    const rows = [];
    for (const hour of hours) {
      for (let minute = 0; minute < 60; minute += 7) {
        for (const instance of ['node-a', 'node-b']) {
          for (const [method, route, statusClass] of [
            ['GET', '/api/articles/:id', 2],
            ['GET', '/api/articles/:id', 5],
            ['POST', '/api/usage-analytics/track', 2],
          ] as const) {
            if (next() < 0.3) continue;
            const values = Array.from(
              { length: 1 + Math.floor(next() * 15) },
              () => Math.round((0.5 + next() * next() * 900) * 1000) / 1000
            );
            const h = new LogHistogram();
            values.forEach((v) => h.record(v));
            const errors = statusClass === 5 ? values.length : 0;
            rows.push({
              minute: hour + minute * MINUTE_MS,
              instance_id: instance,
              method,
              route,
              status_class: statusClass,
              count: values.length,
              error_count: errors,
              sum_ms: values.reduce((a, b) => a + b, 0),
              min_ms: Math.min(...values),
              max_ms: Math.max(...values),
              histogram: JSON.stringify(h.toJSON()),
            });
            const series = `${method} ${route} ${statusClass}`;
            add(byHour, `${hour} ${series}`, values, errors);
            add(byDay, `${hour - (hour % DAY_MS)} ${series}`, values, errors);
          }
        }
      }
    }
    for (let i = 0; i < rows.length; i += 100) {
      await knex()('ua_request_stats').insert(rows.slice(i, i + 100));
    }

    for (const hour of hours.slice(1, 3)) {
      for (const instance of ['node-a', 'node-b']) {
        for (let i = 0; i < 5; i += 1) {
          const sample = {
            ts: hour + i * 600_000 + 1234,
            instance_id: instance,
            cpu_pct: Math.round(next() * 10000) / 100,
            rss: 100_000_000 + Math.floor(next() * 1e8),
            heap_used: 50_000_000,
            heap_total: 80_000_000,
            event_loop_p50_ms: 10,
            event_loop_p99_ms: Math.round(next() * 5000) / 100,
            in_flight: i,
          };
          await knex()('ua_system_samples').insert({ ...sample, uptime_s: 1 });
          samples.push({
            hour,
            instance,
            cpu: sample.cpu_pct,
            rss: sample.rss,
            p99: sample.event_loop_p99_ms,
          });
        }
      }
    }
    await knex()('ua_jobs').where('name', 'like', 'monitoring-rollup%').delete();
  });
  afterAll(() => app?.stop());

  const exactRow = (e: Expected) => {
    const h = new LogHistogram();
    e.values.forEach((v) => h.record(v));
    return {
      count: e.values.length,
      error_count: e.errors,
      min_ms: Math.min(...e.values),
      max_ms: Math.max(...e.values),
      histogram: h.toJSON(),
      sum: e.values.reduce((a, b) => a + b, 0),
    };
  };

  const check = (
    rows: Record<string, unknown>[],
    column: string,
    expected: Map<string, Expected>
  ) => {
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const key = `${Number(row[column])} ${row.method} ${row.route} ${Number(row.status_class)}`;
      const e = expected.get(key);
      expect(e).toBeDefined();
      const want = exactRow(e!);
      expect(Number(row.count)).toBe(want.count);
      expect(Number(row.error_count)).toBe(want.error_count);
      expect(Number(row.min_ms)).toBe(want.min_ms);
      expect(Number(row.max_ms)).toBe(want.max_ms);
      expect(Number(row.sum_ms)).toBeCloseTo(want.sum, 6);
      expect(JSON.parse(String(row.histogram))).toEqual(want.histogram);
    }
  };

  it('rolls minutes of every instance into hours and days with exactly merged histograms', async () => {
    const result = await service('monitoring-rollup').runOnce(now);
    expect(result).not.toBeNull();
    check(
      await knex()('ua_request_stats_hourly').where('hour', '<', day + 2 * DAY_MS),
      'hour',
      byHour
    );
    check(await knex()('ua_request_stats_daily').where('day', '<', day + 2 * DAY_MS), 'day', byDay);
    const watermark = await service('monitoring-rollup').watermark();
    expect(watermark).toBeGreaterThan(hours[3]);
    expect(watermark % HOUR_MS).toBe(0);
  });

  it('rolls samples into hourly min/avg/max per instance', async () => {
    const rows = await knex()('ua_system_hourly').orderBy(['hour', 'instance_id']);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const mine = samples.filter(
        (s) => s.hour === Number(row.hour) && s.instance === row.instance_id
      );
      expect(Number(row.samples)).toBe(5);
      const cpu = mine.map((s) => s.cpu);
      expect(Number(row.cpu_pct_min)).toBeCloseTo(Math.min(...cpu), 4);
      expect(Number(row.cpu_pct_max)).toBeCloseTo(Math.max(...cpu), 4);
      expect(Number(row.cpu_pct_avg)).toBeCloseTo(cpu.reduce((a, b) => a + b) / 5, 4);
      const rss = mine.map((s) => s.rss);
      expect(Number(row.rss_max)).toBe(Math.max(...rss));
      expect(Number(row.rss_avg)).toBeCloseTo(rss.reduce((a, b) => a + b) / 5, 0);
      expect(Number(row.event_loop_p99_ms_max)).toBeCloseTo(Math.max(...mine.map((s) => s.p99)), 4);
      expect(Number(row.in_flight_max)).toBe(4);
    }
  });

  it('is idempotent and takes the lease', async () => {
    const before = await knex()('ua_request_stats_hourly').select().orderBy(['hour', 'route']);
    await knex()('ua_jobs').where({ name: 'monitoring-rollup:watermark' }).update({ watermark: 0 });
    await service('monitoring-rollup').runOnce(now);
    const after = await knex()('ua_request_stats_hourly').select().orderBy(['hour', 'route']);
    expect(after).toEqual(before);

    await knex()('ua_jobs')
      .where({ name: 'monitoring-rollup' })
      .update({ lease_owner: 'another-instance', lease_expires_at: Date.now() + 60_000 });
    expect(await service('monitoring-rollup').runOnce(now)).toBeNull();
    await knex()('ua_jobs')
      .where({ name: 'monitoring-rollup' })
      .update({ lease_owner: null, lease_expires_at: 0 });
  });

  it('reports the same numbers from the hourly rollup as from the minutes', async () => {
    const range = {
      from: hours[0],
      to: hours[3] + HOUR_MS,
      step: HOUR_MS,
      asked: { from: hours[0], to: hours[3] + HOUR_MS },
    };
    const health = service('health');
    const fromMinutes = await health.report({ ...range, interval: 'minute', step: MINUTE_MS }, now);
    const fromHours = await health.report({ ...range, interval: 'hour' }, now);
    expect(fromHours.totals).toEqual(fromMinutes.totals);
    expect(fromHours.slowestRoutes).toEqual(fromMinutes.slowestRoutes);
    // Without the minutes, the hourly rows alone still answer.
    await knex()('ua_request_stats')
      .where('minute', '<', hours[3] + HOUR_MS)
      .delete();
    const hourlyOnly = await health.report({ ...range, interval: 'hour' }, now);
    expect(hourlyOnly.totals).toEqual(fromMinutes.totals);
    expect(hourlyOnly.totals.requests).toBe(
      [...byHour.values()].reduce((n, e) => n + e.values.length, 0)
    );
  });

  it('warns, at most every 15 minutes, when a rollup job has not completed for 15 minutes', async () => {
    await knex()('ua_jobs').where({ name: 'rollup' }).delete();
    await knex()('ua_jobs').insert({
      name: 'rollup',
      watermark: now - 30 * MINUTE_MS,
      lease_owner: null,
      lease_expires_at: 0,
      updated_at: now - 30 * MINUTE_MS,
    });
    const lagWarnings = () =>
      app.logs.filter(
        (l) => l.level === 'warn' && /the rollup job last completed 30 minutes ago/.test(l.message)
      ).length;
    await service('monitoring-rollup').runOnce(now);
    expect(lagWarnings()).toBe(1);
    await service('monitoring-rollup').runOnce(now + 1000);
    expect(lagWarnings()).toBe(1);
  });

  it('deletes raw monitoring rows after rawDays and rollups after aggregateDays', async () => {
    // Put the minutes back: they are three days old, past rawDays (2).
    await knex()('ua_request_stats').insert({
      minute: hours[0],
      instance_id: 'node-a',
      method: 'GET',
      route: '/x',
      status_class: 2,
      count: 1,
      error_count: 0,
      sum_ms: 1,
      min_ms: 1,
      max_ms: 1,
      histogram: '{}',
    });
    await knex()('ua_heartbeats').insert([
      { instance_id: 'node-a', minute: now - (now % MINUTE_MS) - 5 * DAY_MS, version: '1' },
      { instance_id: 'node-a', minute: now - (now % MINUTE_MS) - 1 * DAY_MS, version: '1' },
    ]);
    // Retention as seen at 02:00 UTC today at the earliest: before then the samples of the first
    // minutes after midnight two days ago are not yet past rawDays.
    const asOf = Math.max(now, now - (now % DAY_MS) + 2 * HOUR_MS);
    const deleted = await service('retention').runOnce(asOf);
    expect(deleted.ua_request_stats).toBe(1);
    expect(deleted.ua_system_samples).toBe(20);
    expect(deleted.ua_request_stats_hourly).toBe(0);
    expect(deleted.ua_heartbeats).toBe(1);
    const hourly = Number((await knex()('ua_request_stats_hourly').count({ n: '*' }))[0].n);
    expect(hourly).toBeGreaterThan(0);

    // Two days later the rollups of that day are past aggregateDays (4).
    const later = await service('retention').runOnce(asOf + 2 * DAY_MS);
    expect(later.ua_request_stats_hourly).toBe(
      new Set([...byHour.keys()].filter((k) => Number(k.split(' ')[0]) < asOf - 2 * DAY_MS)).size
    );
    expect(later.ua_system_hourly).toBeGreaterThan(0);
    expect(
      Number(
        (
          await knex()('ua_request_stats_daily')
            .where('day', '<', day + DAY_MS)
            .count({ n: '*' })
        )[0].n
      )
    ).toBe(0);
  });
});
