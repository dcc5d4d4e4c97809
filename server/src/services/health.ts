import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { HealthResponse, ResourcePoint } from '../../../shared/contracts/health';
import { servicesUsed } from '../get-service';
import { MINUTE_MS } from '../../../shared/time';
import type { HealthRange } from '../monitoring/health-range';
import { LogHistogram } from '../monitoring/log-histogram';
import { mergeStats, type StatsRow } from '../monitoring/merge-stats';
import { ROLLUP_JOB } from './rollup';
import { MONITORING_ROLLUP_JOB } from './monitoring-rollup';

const STATS_COLUMNS = [
  'method',
  'route',
  'status_class',
  'count',
  'error_count',
  'sum_ms',
  'min_ms',
  'max_ms',
  'histogram',
];
const SLOWEST_ROUTES = 10;

type Health = HealthResponse['data'];

const iso = (ms: number) => new Date(ms).toISOString();
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentiles = (h: LogHistogram, min: number, max: number) => ({
  p50: roundOrNull(h.quantile(0.5, min, max)),
  p95: roundOrNull(h.quantile(0.95, min, max)),
  p99: roundOrNull(h.quantile(0.99, min, max)),
});
const roundOrNull = (value: number | null) => (value === null ? null : round(value));

/**
 * The health report: request stats from the hourly rollup before its watermark and from the
 * per-minute rows after it (or minute rows only at interval=minute), merged exactly in memory;
 * resource samples likewise; uptime from the heartbeats.
 */
const createHealth = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, [
    'event-pipeline',
    'job-lease',
    'monitoring',
    'monitoring-rollup',
    'plugin-config',
  ]);
  const knex = () => strapi.db.connection as unknown as Knex;

  async function requestRows(range: HealthRange, watermark: number): Promise<StatsRow[]> {
    const { from, to } = range;
    const split = range.interval === 'minute' ? from : Math.min(Math.max(watermark, from), to);
    const [hourly, minutes] = await Promise.all([
      split > from
        ? knex()('ua_request_stats_hourly')
            .where('hour', '>=', from)
            .andWhere('hour', '<', split)
            .select('hour as t', ...STATS_COLUMNS)
        : [],
      knex()('ua_request_stats')
        .where('minute', '>=', split)
        .andWhere('minute', '<', to)
        .select('minute as t', ...STATS_COLUMNS),
    ]);
    return [...hourly, ...minutes].map((r) => ({ ...r, t: Number(r.t) }) as StatsRow);
  }

  async function resources(range: HealthRange, watermark: number): Promise<ResourcePoint[]> {
    const { from, to, step } = range;
    const split = range.interval === 'minute' ? from : Math.min(Math.max(watermark, from), to);
    const [hourly, raw] = await Promise.all([
      split > from
        ? knex()('ua_system_hourly')
            .where('hour', '>=', from)
            .andWhere('hour', '<', split)
            .select(
              'hour as t',
              'instance_id',
              'samples',
              'cpu_pct_avg as cpu',
              'rss_avg as rss',
              'heap_used_avg as heap_used',
              'heap_total_avg as heap_total',
              'event_loop_p99_ms_max as el_p99',
              'in_flight_max as in_flight'
            )
        : [],
      knex()('ua_system_samples')
        .where('ts', '>=', split)
        .andWhere('ts', '<', to)
        .select(
          'ts as t',
          'instance_id',
          knex().raw('1 as samples'),
          'cpu_pct as cpu',
          'rss',
          'heap_used',
          'heap_total',
          'event_loop_p99_ms as el_p99',
          'in_flight'
        ),
    ]);
    const points = new Map<string, ResourcePoint & { bucket: number }>();
    for (const r of [...hourly, ...raw]) {
      const bucket = Number(r.t) - (Number(r.t) % step);
      const key = `${bucket} ${r.instance_id}`;
      const n = Number(r.samples);
      let p = points.get(key);
      if (!p) {
        p = {
          bucket,
          t: iso(bucket),
          instance: r.instance_id,
          cpu: 0,
          rss: 0,
          heapUsed: 0,
          heapTotal: 0,
          eventLoopP99: 0,
          inFlight: 0,
          samples: 0,
        };
        points.set(key, p);
      }
      // Running sums weighted by samples; divided below.
      p.cpu += Number(r.cpu) * n;
      p.rss += Number(r.rss) * n;
      p.heapUsed += Number(r.heap_used) * n;
      p.heapTotal += Number(r.heap_total) * n;
      p.eventLoopP99 = Math.max(p.eventLoopP99, Number(r.el_p99));
      p.inFlight = Math.max(p.inFlight, Number(r.in_flight));
      p.samples += n;
    }
    return [...points.values()]
      .sort((a, b) => a.bucket - b.bucket || a.instance.localeCompare(b.instance))
      .map(({ bucket: _bucket, ...p }) => ({
        ...p,
        cpu: round(p.cpu / p.samples, 2),
        rss: Math.round(p.rss / p.samples),
        heapUsed: Math.round(p.heapUsed / p.samples),
        heapTotal: Math.round(p.heapTotal / p.samples),
        eventLoopP99: round(p.eventLoopP99, 2),
      }));
  }

  async function uptime(range: HealthRange, now: number) {
    const slo = use('plugin-config').get().uptime.slo;
    const first = await knex()('ua_heartbeats').min({ t: 'minute' }).first();
    // Minutes before the first heartbeat ever are before the plugin was installed, not downtime.
    const askedFrom = Math.ceil(range.asked.from / MINUTE_MS) * MINUTE_MS;
    const start = Math.max(askedFrom, first?.t == null ? Infinity : Number(first.t));
    const end = Math.min(range.asked.to - (range.asked.to % MINUTE_MS), now - (now % MINUTE_MS));
    const minutes = end > start ? Math.ceil((end - start) / MINUTE_MS) : 0;
    let healthyMinutes = 0;
    if (minutes) {
      const row = await knex()('ua_heartbeats')
        .where('minute', '>=', start)
        .andWhere('minute', '<', end)
        .countDistinct({ n: 'minute' })
        .first();
      healthyMinutes = Number(row?.n ?? 0);
    }
    const availability = minutes ? (100 * healthyMinutes) / minutes : null;
    return {
      availability: availability === null ? null : round(availability, 4),
      slo,
      errorBudgetRemaining:
        availability === null ? null : round(100 * (1 - (100 - availability) / (100 - slo)), 2),
      minutes,
      healthyMinutes,
    };
  }

  async function instances(range: HealthRange) {
    const latest: { instance_id: string; last: number | string }[] = await knex()('ua_heartbeats')
      .where('minute', '>=', range.from)
      .andWhere('minute', '<', range.to)
      .select('instance_id')
      .max({ last: 'minute' })
      .groupBy('instance_id');
    const out: Health['instances'] = [];
    for (const { instance_id: id, last } of latest) {
      const row = await knex()('ua_heartbeats')
        .where({ instance_id: id, minute: Number(last) })
        .first();
      out.push({ id, lastSeen: iso(Number(last)), version: row?.version ?? '' });
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  async function pipeline(now: number): Promise<Health['pipeline']> {
    const s = use('event-pipeline').stats();
    const lease = use('job-lease');
    const completed = await Promise.all(
      [ROLLUP_JOB, MONITORING_ROLLUP_JOB].map(lease.lastCompleted)
    );
    const known = completed.filter((t): t is number => t !== null);
    return {
      accepted: s.events.accepted + s.editorial.accepted,
      dropped: s.events.dropped + s.editorial.dropped,
      flushed: s.events.flushed + s.editorial.flushed,
      flushErrors:
        s.events.flushErrors + s.editorial.flushErrors + use('monitoring').stats().flushErrors,
      rejected: s.events.rejected + s.editorial.rejected + use('monitoring').stats().rowsRefused,
      rollupLagSeconds: known.length
        ? Math.max(0, Math.round((now - Math.min(...known)) / 1000))
        : null,
    };
  }

  return {
    async report(range: HealthRange, now = Date.now()): Promise<Health> {
      const watermark = await use('monitoring-rollup').watermark();
      const rows = await requestRows(range, watermark);
      const { from, to, step } = range;

      const buckets = mergeStats(
        rows,
        (r) => String(r.t - (r.t % step)),
        (r) => r.t - (r.t % step)
      );
      const byBucket = new Map(buckets.map((b) => [b.t, b]));
      const throughput: Health['throughput'] = [];
      const latency: Health['latency'] = [];
      for (let t = from; t < to; t += step) {
        const b = byBucket.get(t);
        throughput.push({ t: iso(t), requests: b?.count ?? 0, errors: b?.error_count ?? 0 });
        latency.push({
          t: iso(t),
          ...(b
            ? percentiles(b.histogram, b.min_ms, b.max_ms)
            : { p50: null, p95: null, p99: null }),
        });
      }

      const routes = mergeStats(rows, (r) => `${r.method} ${r.route}`);
      const slowestRoutes = routes
        .map((r) => ({
          method: r.method,
          route: r.route,
          count: r.count,
          ...percentiles(r.histogram, r.min_ms, r.max_ms),
          errorRate: r.count ? round(r.error_count / r.count, 4) : 0,
        }))
        .sort((a, b) => (b.p95 ?? 0) - (a.p95 ?? 0) || b.count - a.count)
        .slice(0, SLOWEST_ROUTES);

      const statusClasses: Record<string, number> = {};
      let requests = 0;
      let errors = 0;
      for (const r of rows) {
        statusClasses[r.status_class] = (statusClasses[r.status_class] ?? 0) + Number(r.count);
        requests += Number(r.count);
        errors += Number(r.error_count);
      }
      const clientErrors = statusClasses[4] ?? 0;
      const valid = requests - clientErrors;

      return {
        from: iso(from),
        to: iso(to),
        interval: range.interval,
        totals: { requests, errors, clientErrors },
        throughput,
        latency,
        errorRate: requests ? round(errors / requests, 4) : 0,
        slowestRoutes,
        statusClasses,
        resources: await resources(range, watermark),
        uptime: {
          ...(await uptime(range, now)),
          requestSli: valid > 0 ? round((100 * (valid - errors)) / valid, 4) : null,
        },
        instances: await instances(range),
        pipeline: await pipeline(now),
      };
    },
  };
};

export type HealthService = ReturnType<typeof createHealth>;
export default createHealth;
