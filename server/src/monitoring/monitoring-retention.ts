import type { Knex } from 'knex';

const BATCH = 5_000;
const DAY_MS = 86_400_000;

async function deleteById(knex: Knex, table: string, column: string, before: number) {
  let deleted = 0;
  for (;;) {
    const ids = (await knex(table).where(column, '<', before).select('id').limit(BATCH)).map(
      (r) => r.id
    );
    if (!ids.length) return deleted;
    deleted += Number(await knex(table).whereIn('id', ids).delete());
  }
}

/** Deletes `column < before` a bucket at a time (tables without an id), oldest first. */
async function deleteByBucket(knex: Knex, table: string, column: string, before: number) {
  let deleted = 0;
  for (;;) {
    const oldest = await knex(table).where(column, '<', before).min({ t: column }).first();
    if (oldest?.t === null || oldest?.t === undefined) return deleted;
    deleted += Number(await knex(table).where(column, Number(oldest.t)).delete());
  }
}

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
    ua_request_stats: await deleteById(knex, 'ua_request_stats', 'minute', rawBefore),
    ua_system_samples: await deleteById(knex, 'ua_system_samples', 'ts', rawBefore),
    ua_request_stats_hourly: await deleteByBucket(
      knex,
      'ua_request_stats_hourly',
      'hour',
      aggregateBefore
    ),
    ua_request_stats_daily: await deleteByBucket(
      knex,
      'ua_request_stats_daily',
      'day',
      aggregateBefore - (aggregateBefore % DAY_MS)
    ),
    ua_system_hourly: await deleteByBucket(knex, 'ua_system_hourly', 'hour', aggregateBefore),
    ua_heartbeats: Number(
      await knex('ua_heartbeats').where('minute', '<', heartbeatsBefore).delete()
    ),
  };
}
