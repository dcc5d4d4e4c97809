import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { utcDay } from '../collection/visitor-hash';
import { DAY_MS } from '../../../shared/time';
import { AGGREGATES } from '../rollup/aggregates';
import { MONTH_SUMMARIES } from '../rollup/month-summaries';
import { servicesUsed } from '../get-service';
import { deleteOldMonitoringRows } from '../monitoring/monitoring-retention';
import { deleteOlderThan } from '../retention/short-deletes';

export const RETENTION_JOB = 'retention';

/**
 * Deletes raw rows older than `retention.rawDays` and aggregates older than
 * `retention.aggregateDays`, in short statements (retention/short-deletes.ts) so that no statement
 * holds locks, or on SQLite the Node.js thread, for long. One instance at a time (job lease).
 */
const createRetention = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['job-lease', 'plugin-config']);
  const knex = () => strapi.db.connection as unknown as Knex;

  const deleteBefore = (table: string, column: string, before: number | string) =>
    deleteOlderThan(knex(), table, column, before);

  return {
    async runOnce(now = Date.now()): Promise<Record<string, number> | null> {
      const lease = use('job-lease');
      if (!(await lease.acquire(RETENTION_JOB, 30 * 60_000, now))) return null;
      const deleted: Record<string, number> = {};
      try {
        const { retention } = use('plugin-config').get();
        const rawBefore = now - retention.rawDays * DAY_MS;
        deleted.ua_events = await deleteBefore('ua_events', 'ts', rawBefore);
        deleted.ua_editorial = await deleteBefore('ua_editorial', 'ts', rawBefore);
        const aggregateBefore = utcDay(now - retention.aggregateDays * DAY_MS);
        for (const { table } of AGGREGATES) {
          deleted[table] = await deleteBefore(table, 'day', aggregateBefore);
        }
        // A month summary no longer sums the days left of its month: its record goes first (so
        // no reader takes the summary for current meanwhile), then its rows; the rollup builds
        // it again from the days left.
        deleted.ua_month_summaries = await deleteBefore(
          'ua_month_summaries',
          'month',
          aggregateBefore
        );
        for (const { table } of MONTH_SUMMARIES) {
          deleted[table] = await deleteBefore(table, 'day', aggregateBefore);
        }
        // What the rollup keeps per day (visitors' sessions) is needed only while that day's
        // raw rows can still be rolled up.
        const rawBeforeDay = utcDay(rawBefore);
        deleted.ua_visitor_sessions = await deleteBefore(
          'ua_visitor_sessions',
          'day',
          rawBeforeDay
        );
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
