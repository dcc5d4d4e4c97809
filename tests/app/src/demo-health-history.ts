import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { DemoSite, HEALTH_HISTORY_DAYS } from './demo-health-model';
import { seededRandom } from './seeded-random';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time';

// The plugin's monitoring-rollup job and its watermark (server/src/services/monitoring-rollup.ts).
const ROLLUP_JOB = 'monitoring-rollup';
const ROLLUP_WATERMARK = 'monitoring-rollup:watermark';
const INSERT_CHUNK = 500;

export interface DemoHealthHistory {
  /** Where the history ends: this instance's first heartbeat, where its own monitoring begins. */
  end: number;
  requests: number;
  samples: number;
}

async function insertChunks(knex: Knex, table: string, rows: object[]): Promise<void> {
  await knex.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx(table).insert(rows.slice(i, i + INSERT_CHUNK));
    }
  });
}

/**
 * The demo's monitoring history, for the System health page: up to 30 days (the page's longest
 * period) of this instance's requests, resources and heartbeats, before its own monitoring began
 * (see demo-health-model.ts for what happened). Requests go through the plugin's monitoring
 * recorder with their past times (it builds each minute's histograms and writes the rows);
 * resource samples (one a minute) and heartbeats, which the plugin only takes of the present, are
 * written as raw rows in the shape its sampler and heartbeat writer give them. Then the plugin's
 * monitoring rollup makes the hourly and daily rows. Deterministic for a given end.
 */
export async function writeDemoHealthHistory(
  strapi: Core.Strapi,
  days: number
): Promise<DemoHealthHistory | null> {
  const plugin = strapi.plugin('usage-analytics');
  const monitoring = plugin.service('monitoring');
  if (!monitoring.enabled()) return null;
  const knex = strapi.db.connection as unknown as Knex;
  const config = plugin.service('plugin-config');
  const instance: string = config.instanceId();
  const first = await knex('ua_heartbeats')
    .where({ instance_id: instance })
    .orderBy('minute')
    .first();
  const now = Date.now();
  const end = first ? Number(first.minute) : now - (now % MINUTE_MS);
  const version: string = first?.version ?? '';
  const covered = Math.min(days, HEALTH_HISTORY_DAYS) * DAY_MS;
  const start = end - covered - ((end - covered) % DAY_MS);
  const site = new DemoSite(end);
  const requestRandom = seededRandom(1_601);
  const sampleRandom = seededRandom(1_602);
  let requests = 0;
  let samples = 0;

  // No rollup run may see half of the history: the lease is this writer's until it is written.
  const lease = plugin.service('job-lease');
  const held: boolean = await lease.acquire(ROLLUP_JOB, 30 * 60_000);
  try {
    for (let day = start; day < end; day += DAY_MS) {
      const heartbeats: object[] = [];
      const resources: object[] = [];
      for (let hour = day; hour < Math.min(day + DAY_MS, end); hour += HOUR_MS) {
        for (let minute = hour; minute < Math.min(hour + HOUR_MS, end); minute += MINUTE_MS) {
          if (site.isRestart(minute)) continue;
          for (const r of site.requests(minute, requestRandom)) {
            monitoring.record(r.method, r.route, r.status, r.ms, r.at);
            requests += 1;
          }
          heartbeats.push({ instance_id: instance, minute, version });
          const sample = site.sample(minute, sampleRandom);
          if (sample) resources.push({ ...sample, instance_id: instance });
        }
        // The recorder keeps at most an hour of closed minutes: each hour is written as it closes.
        await monitoring.flush();
        if (monitoring.stats().pendingMinutes > 0) {
          throw new Error('the monitoring recorder could not write the history (see its warning)');
        }
      }
      await insertChunks(knex, 'ua_heartbeats', heartbeats);
      await insertChunks(knex, 'ua_system_samples', resources);
      samples += resources.length;
    }
    // A run that came before the history (its first tick can fall while the app boots) moved the
    // watermark past it: without it, the next run starts from the oldest minute row.
    await knex('ua_jobs').where({ name: ROLLUP_WATERMARK }).delete();
  } finally {
    if (held) await lease.release(ROLLUP_JOB);
  }
  await plugin.service('monitoring-rollup').runOnce();
  return { end, requests, samples };
}
