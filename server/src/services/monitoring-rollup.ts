import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { DAY_MS, HOUR_MS } from '../../../shared/time';
import { servicesUsed } from '../get-service';
import { mergeStats, type StatsRow } from '../monitoring/merge-stats';
import { RateLimitedLog } from '../monitoring/rate-limited-log';
import { ROLLUP_JOB } from './rollup';

export const MONITORING_ROLLUP_JOB = 'monitoring-rollup';
/** Where the rollup's data watermark is kept: every hour before it is final. */
export const MONITORING_WATERMARK = 'monitoring-rollup:watermark';
/** Minutes are written about a minute after they close: an hour is final this long after it ends. */
const SETTLE_MS = 5 * 60_000;
const LEASE_MS = 10 * 60_000;
/** A rollup job that has not completed for this long is worth a warning. */
const LAG_WARNING_MS = 15 * 60_000;
const INSERT_CHUNK = 200;

const SAMPLE_METRICS = ['cpu_pct', 'rss', 'heap_used', 'event_loop_p99_ms'] as const;

/**
 * Monitoring rollups, one instance at a time (job lease): per-minute request stats of every
 * instance → one row per hour and per day and (method, route, status class), histograms merged
 * exactly; raw resource samples → hourly min/avg/max per instance. Each run recomputes every
 * hour from the watermark up to the current one (whole hours, delete + insert in a transaction),
 * so it is idempotent and the current hour is always fresh; then the days those hours touch.
 */
const createMonitoringRollup = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['job-lease']);
  const knex = () => strapi.db.connection as unknown as Knex;
  const log = new RateLimitedLog(strapi.log, LAG_WARNING_MS);

  async function watermark(): Promise<number> {
    const row = await knex()('ua_jobs').where({ name: MONITORING_WATERMARK }).first();
    return row ? Number(row.watermark) : 0;
  }

  async function setWatermark(value: number, now: number): Promise<void> {
    await knex()('ua_jobs')
      .insert({
        name: MONITORING_WATERMARK,
        watermark: value,
        lease_owner: null,
        lease_expires_at: 0,
        updated_at: now,
      })
      .onConflict('name')
      .merge(['watermark', 'updated_at']);
  }

  async function firstHour(now: number): Promise<number> {
    const [stats, samples] = await Promise.all([
      knex()('ua_request_stats').min({ t: 'minute' }).first(),
      knex()('ua_system_samples').min({ t: 'ts' }).first(),
    ]);
    const first = Math.min(
      ...[stats?.t, samples?.t].filter((t) => t !== null && t !== undefined).map(Number),
      now
    );
    return first - (first % HOUR_MS);
  }

  async function rollHour(trx: Knex.Transaction, hour: number): Promise<void> {
    const rows = await trx('ua_request_stats')
      .where('minute', '>=', hour)
      .andWhere('minute', '<', hour + HOUR_MS)
      .select('method', 'route', 'status_class', 'count', 'error_count')
      .select('sum_ms', 'min_ms', 'max_ms', 'histogram');
    const merged = mergeStats(rows.map((r) => ({ ...r, t: hour }) as StatsRow));
    await trx('ua_request_stats_hourly').where({ hour }).delete();
    await insertChunks(
      trx,
      'ua_request_stats_hourly',
      merged.map(({ t, histogram, ...rest }) => ({
        hour: t,
        ...rest,
        histogram: JSON.stringify(histogram.toJSON()),
      }))
    );

    const columns = SAMPLE_METRICS.flatMap((m) => [
      trx.raw(`min(??) as ??`, [m, `${m}_min`]),
      trx.raw(`avg(??) as ??`, [m, `${m}_avg`]),
      trx.raw(`max(??) as ??`, [m, `${m}_max`]),
    ]);
    const samples = await trx('ua_system_samples')
      .where('ts', '>=', hour)
      .andWhere('ts', '<', hour + HOUR_MS)
      .select(
        'instance_id',
        trx.raw('count(*) as samples'),
        ...columns,
        trx.raw('avg(heap_total) as heap_total_avg'),
        trx.raw('avg(event_loop_p50_ms) as event_loop_p50_ms_avg'),
        trx.raw('max(in_flight) as in_flight_max')
      )
      .groupBy('instance_id');
    await trx('ua_system_hourly').where({ hour }).delete();
    await insertChunks(
      trx,
      'ua_system_hourly',
      samples.map((s) => {
        const row: Record<string, unknown> = { hour, instance_id: s.instance_id };
        for (const [key, value] of Object.entries(s)) {
          if (key !== 'instance_id') row[key] = Number(value);
        }
        return row;
      })
    );
  }

  async function rollDay(trx: Knex.Transaction, day: number): Promise<void> {
    const rows = await trx('ua_request_stats_hourly')
      .where('hour', '>=', day)
      .andWhere('hour', '<', day + DAY_MS)
      .select('method', 'route', 'status_class', 'count', 'error_count')
      .select('sum_ms', 'min_ms', 'max_ms', 'histogram');
    const merged = mergeStats(rows.map((r) => ({ ...r, t: day }) as StatsRow));
    await trx('ua_request_stats_daily').where({ day }).delete();
    await insertChunks(
      trx,
      'ua_request_stats_daily',
      merged.map(({ t, histogram, ...rest }) => ({
        day: t,
        ...rest,
        histogram: JSON.stringify(histogram.toJSON()),
      }))
    );
  }

  async function warnOnLag(now: number): Promise<void> {
    const lease = use('job-lease');
    for (const job of [ROLLUP_JOB, MONITORING_ROLLUP_JOB]) {
      const last = await lease.lastCompleted(job);
      if (last && now - last > LAG_WARNING_MS) {
        log.warn(
          job,
          `[usage-analytics] the ${job} job last completed ${Math.round((now - last) / 60_000)} minutes ago; ` +
            'dashboards lag behind (is the database reachable, or a lease held by a dead instance?)'
        );
      }
    }
  }

  return {
    /** Rolls up to `now`; null when another instance holds the lease. */
    async runOnce(now = Date.now()): Promise<{ hours: number; days: number } | null> {
      const lease = use('job-lease');
      await warnOnLag(now);
      if (!(await lease.acquire(MONITORING_ROLLUP_JOB, LEASE_MS, now))) return null;
      try {
        const from = (await watermark()) || (await firstHour(now));
        const currentHour = now - (now % HOUR_MS);
        let hours = 0;
        for (let hour = from; hour <= currentHour; hour += HOUR_MS) {
          await knex().transaction((trx) => rollHour(trx, hour));
          hours += 1;
        }
        let days = 0;
        for (let day = from - (from % DAY_MS); day <= currentHour; day += DAY_MS) {
          await knex().transaction((trx) => rollDay(trx, day));
          days += 1;
        }
        const settled = now - SETTLE_MS;
        const next = Math.max(from, settled - (settled % HOUR_MS));
        await setWatermark(next, now);
        return { hours, days };
      } finally {
        await lease.release(MONITORING_ROLLUP_JOB, Date.now());
      }
    },

    /** Every hour before this one is in the hourly tables for good (epoch ms, 0 if never run). */
    watermark,
  };
};

async function insertChunks(trx: Knex.Transaction, table: string, rows: object[]) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx(table).insert(rows.slice(i, i + INSERT_CHUNK));
  }
}

export type MonitoringRollupService = ReturnType<typeof createMonitoringRollup>;
export default createMonitoringRollup;
