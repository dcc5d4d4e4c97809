import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { DAY_AGGREGATES } from '../rollup/day-aggregates';
import { DAY_MS } from '../rollup/day-range';
import { utcDay } from '../collection/visitor-hash';
import { getService } from '../get-service';

export const ROLLUP_JOB = 'rollup';
const LEASE_MS = 10 * 60_000;

/**
 * Rolls raw events up into the aggregate tables. The raw writers mark each UTC day they write to
 * as dirty (same transaction as the rows); a run recomputes every dirty day whole, inside the
 * database (DELETE the day's aggregates, INSERT … SELECT … GROUP BY), and clears the mark in the
 * same transaction — only if no write re-marked the day meanwhile. Re-running, crashing half-way
 * or receiving late events therefore never double-counts and never loses a row, and a day's
 * unique visitors are exact. One instance runs it at a time (job lease).
 */
const createRollup = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection as unknown as Knex;

  async function rollupDay(day: string, token: string): Promise<void> {
    await knex().transaction(async (trx) => {
      for (const aggregate of DAY_AGGREGATES) {
        await trx(aggregate.table).where({ day }).delete();
        const { sql, bindings } = aggregate.select(trx, day).toSQL();
        const columns = aggregate.columns.map(() => '??').join(', ');
        await trx.raw(`INSERT INTO ?? (${columns}) ${sql}`, [
          aggregate.table,
          ...aggregate.columns,
          ...bindings,
        ]);
      }
      await trx('ua_dirty_days').where({ day, token }).delete();
    });
  }

  return {
    /** Rolls up every dirty day; null when another instance holds the lease. */
    async runOnce(now = Date.now()): Promise<{ days: string[]; ms: number } | null> {
      const lease = getService(strapi, 'job-lease');
      if (!(await lease.acquire(ROLLUP_JOB, LEASE_MS, now))) return null;
      const started = Date.now();
      const days: string[] = [];
      try {
        const config = getService(strapi, 'plugin-config').get();
        // Raw rows older than this are purged: their aggregates are final and must not be rebuilt.
        const oldestRawDay = utcDay(now - config.retention.rawDays * DAY_MS);
        const dirty = await knex()('ua_dirty_days').select('day', 'token').orderBy('day');
        for (const { day, token } of dirty) {
          if (day < oldestRawDay) {
            await knex()('ua_dirty_days').where({ day, token }).delete();
            continue;
          }
          await rollupDay(day, token);
          days.push(day);
        }
      } finally {
        await lease.release(ROLLUP_JOB, Date.now());
      }
      return { days, ms: Date.now() - started };
    },

    /** Days whose raw rows changed since their last rollup (read live by the stats service). */
    async dirtyDays(): Promise<string[]> {
      const rows = await knex()('ua_dirty_days').select('day');
      return rows.map((row) => String(row.day));
    },
  };
};

export type RollupService = ReturnType<typeof createRollup>;
export default createRollup;
