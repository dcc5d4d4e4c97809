import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { utcDay } from '../collection/visitor-hash';
import { DAY_MS } from '../rollup/day-range';
import { AGGREGATES } from '../rollup/aggregates';
import { getService } from '../get-service';
import { deleteOldMonitoringRows } from '../monitoring/monitoring-retention';
import { deleteOldDayRows } from '../retention/delete-old-days';

export const RETENTION_JOB = 'retention';
const BATCH = 5_000;

/**
 * Deletes raw rows older than `retention.rawDays` and aggregates older than
 * `retention.aggregateDays`, in batches of a few thousand rows by primary key so no statement
 * holds locks for long. One instance at a time (job lease).
 */
const createRetention = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection as unknown as Knex;

  async function deleteInBatches(
    table: string,
    column: string,
    before: number | string
  ): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = (await knex()(table).where(column, '<', before).select('id').limit(BATCH)).map(
        (r) => r.id
      );
      if (!ids.length) return deleted;
      deleted += Number(await knex()(table).whereIn('id', ids).delete());
    }
  }

  /** Deletes the rows of a table keyed by day (no id) before `before`, a batch at a time. */
  async function deleteDays(table: string, before: string): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch = await deleteOldDayRows(knex(), table, before, BATCH);
      deleted += batch;
      if (batch < BATCH) return deleted;
    }
  }

  return {
    async runOnce(now = Date.now()): Promise<Record<string, number> | null> {
      const lease = getService(strapi, 'job-lease');
      if (!(await lease.acquire(RETENTION_JOB, 30 * 60_000, now))) return null;
      const deleted: Record<string, number> = {};
      try {
        const { retention } = getService(strapi, 'plugin-config').get();
        const rawBefore = now - retention.rawDays * DAY_MS;
        deleted.ua_events = await deleteInBatches('ua_events', 'ts', rawBefore);
        deleted.ua_editorial = await deleteInBatches('ua_editorial', 'ts', rawBefore);
        const aggregateBefore = utcDay(now - retention.aggregateDays * DAY_MS);
        for (const { table } of AGGREGATES) {
          deleted[table] = await deleteInBatches(table, 'day', aggregateBefore);
        }
        // What the rollup remembers per day (counted visitors, sessions) is needed only while
        // that day's raw rows can still be rolled up.
        const rawBeforeDay = utcDay(rawBefore);
        deleted.ua_uniques = await deleteDays('ua_uniques', rawBeforeDay);
        deleted.ua_visitor_sessions = await deleteDays('ua_visitor_sessions', rawBeforeDay);
        deleted.ua_rollup_days = Number(
          await knex()('ua_rollup_days')
            .where('day', '<', rawBeforeDay)
            .andWhere('partials', 0)
            .delete()
        );
        deleted.ua_salts = Number(
          await knex()('ua_salts')
            .where('day', '<', utcDay(now - DAY_MS))
            .delete()
        );
        Object.assign(deleted, await deleteOldMonitoringRows(knex(), now, retention));
      } finally {
        await lease.release(RETENTION_JOB, Date.now());
      }
      return deleted;
    },
  };
};

export type RetentionService = ReturnType<typeof createRetention>;
export default createRetention;
