import type { Knex } from 'knex';
import { deleteInShortStatements } from '../retention/short-deletes';

const DAY_MS = 86_400_000;
const deleteBefore = (knex: Knex, table: string, column: string, before: number) =>
  deleteInShortStatements(knex, table, column, '<', before);

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
  const heartbeatsBefore = aggregateBefore - (aggregateBefore % 60_000);
  return {
    ua_request_stats: await deleteBefore(knex, 'ua_request_stats', 'minute', rawBefore),
    ua_system_samples: await deleteBefore(knex, 'ua_system_samples', 'ts', rawBefore),
    ua_request_stats_hourly: await deleteBefore(
      knex,
      'ua_request_stats_hourly',
      'hour',
      aggregateBefore
    ),
    ua_request_stats_daily: await deleteBefore(
      knex,
      'ua_request_stats_daily',
      'day',
      aggregateBefore - (aggregateBefore % DAY_MS)
    ),
    ua_system_hourly: await deleteBefore(knex, 'ua_system_hourly', 'hour', aggregateBefore),
    ua_heartbeats: await deleteBefore(knex, 'ua_heartbeats', 'minute', heartbeatsBefore),
  };
}
