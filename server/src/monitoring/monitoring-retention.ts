import type { Knex } from 'knex';
import { DAY_MS, MINUTE_MS } from '../../../shared/time';
import { deleteOlderThan } from '../retention/short-deletes';

/**
 * Monitoring retention, called by the retention job under its lease: per-minute request stats and
 * raw resource samples are raw data (`rawDays`); hourly/daily rollups and heartbeats (the uptime
 * history) are aggregates (`aggregateDays`).
 */
export async function deleteOldMonitoringRows(
  knex: Knex,
  now: number,
  retention: { rawDays: number; aggregateDays: number }
): Promise<Record<string, number>> {
  const rawBefore = now - retention.rawDays * DAY_MS;
  const aggregateBefore = now - retention.aggregateDays * DAY_MS;
  const heartbeatsBefore = aggregateBefore - (aggregateBefore % MINUTE_MS);
  return {
    ua_request_stats: await deleteOlderThan(knex, 'ua_request_stats', 'minute', rawBefore),
    ua_system_samples: await deleteOlderThan(knex, 'ua_system_samples', 'ts', rawBefore),
    ua_request_stats_hourly: await deleteOlderThan(
      knex,
      'ua_request_stats_hourly',
      'hour',
      aggregateBefore
    ),
    ua_request_stats_daily: await deleteOlderThan(
      knex,
      'ua_request_stats_daily',
      'day',
      aggregateBefore - (aggregateBefore % DAY_MS)
    ),
    ua_system_hourly: await deleteOlderThan(knex, 'ua_system_hourly', 'hour', aggregateBefore),
    ua_heartbeats: await deleteOlderThan(knex, 'ua_heartbeats', 'minute', heartbeatsBefore),
  };
}
