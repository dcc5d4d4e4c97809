import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { AGGREGATES, insertSelected, visitorPartial } from '../rollup/aggregates';
import { compactDay, daysToCompact, notePartials } from '../rollup/compaction';
import { daysBetween } from '../rollup/day-range';
import { rollupSessions } from '../rollup/sessions';
import { closeDays, closedAmong } from '../rollup/day-closing';
import { summarizeMonths } from '../rollup/month-summaries';
import { dialectOf, rollupIsolation } from '../rollup/dialect';
import { PENDING, type RawSource } from '../rollup/sources';
import { utcDay } from '../collection/visitor-hash';
import { servicesUsed } from '../get-service';
import { yieldToEventLoop } from '../yield-to-event-loop';
import { nextSize, type TimeTarget } from '../sized-to-time';
import { weightedChunks } from '../weighted-chunks';

export const ROLLUP_JOB = 'rollup';
const LEASE_MS = 10 * 60_000;
/** Raw rows per chunk (one transaction); a bigger single batch is a chunk of its own. */
const CHUNK_ROWS = 50_000;
/**
 * On SQLite a chunk's statements hold the Node.js thread from its first to its commit: chunks
 * sized to take about 15 ms (from 100 to 2 000 rows, as the last chunks took), with a turn of the
 * event loop between two, keep requests moving during a rollup.
 */
const SQLITE_CHUNKS: TimeTarget = { targetMs: 15, min: 100, max: 2_000 };
const SQLITE_FIRST_CHUNK_ROWS = 500;
/** Batches per chunk: their numbers are bound in every statement (9 times in one of them). */
const CHUNK_BATCHES = 500;
/** Compact today's partial rows after this many chunks (≈ half an hour at one run a minute). */
const COMPACT_TODAY_AFTER = 30;
/** Up to this many pending batches, readers name them instead of reading the pending list. */
const PENDING_LIST = 1_000;
/** After rolling up this many rows (in one or several runs), refresh PostgreSQL's statistics. */
const ANALYZE_AFTER_ROWS = 50_000;
/** A run stops taking new chunks after this long; the next run goes on. */
const RUN_BUDGET_MS = 4 * 60_000;

export interface PendingBatch {
  batch: number;
  rows: number;
  minTs: number;
  maxTs: number;
}

/** Splits pending batches (oldest first) into chunks of about `maxRows` raw rows. */
export function chunkBatches(
  batches: PendingBatch[],
  maxRows = CHUNK_ROWS,
  maxBatches = CHUNK_BATCHES
): PendingBatch[][] {
  return weightedChunks(batches, (batch) => batch.rows, maxRows, maxBatches);
}

/**
 * Rolls raw events up into the aggregate tables, incrementally. Each flush registered its rows
 * as one pending batch (collection/row-writer.ts); a run takes the pending batches in chunks and,
 * per chunk and in one transaction: appends each aggregate's counts for the chunk's rows as
 * partial rows (GROUP BY inside the database) and its new unique visitors (those no rolled-up raw
 * row of the day has under the same key: rollup/unique-visitors.ts), recomputes the sessions of
 * the chunk's visitors, and deletes the chunk's batches from the pending list. Days that ended a
 * while ago are then closed (rollup/day-closing.ts): their per-visitor session figures are
 * deleted, and a batch arriving for one later has its sessions recounted from the raw rows; the
 * months whose days are all closed get their month summaries (rollup/month-summaries.ts). A
 * crash rolls the whole chunk back; a re-run finds the same batches pending; a
 * batch committed late is simply pending later — so nothing is counted twice or lost, and late
 * events land in their own hour and day. The work is proportional to the new rows, not to what
 * is already rolled up. One instance runs it at a time (job lease, renewed and checked inside
 * every chunk's transaction).
 */
const createRollup = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['job-lease']);
  const knex = () => strapi.db.connection as unknown as Knex;
  const lease = () => use('job-lease');
  let rowsSinceAnalyze = 0;
  const onSqlite = () => dialectOf(knex()) === 'sqlite';
  // The next chunk's rows; on SQLite adapted to how long the last chunks took.
  let chunkRows: number | null = null;

  async function pendingBatches(limit: number): Promise<PendingBatch[]> {
    const rows = await knex()('ua_pending_batches')
      .orderBy('min_ts')
      .limit(limit)
      .select('batch', 'row_count', 'min_ts', 'max_ts');
    return rows.map((r) => ({
      batch: Number(r.batch),
      rows: Number(r.row_count),
      minTs: Number(r.min_ts),
      maxTs: Number(r.max_ts),
    }));
  }

  async function rollupChunk(batches: PendingBatch[]): Promise<string[]> {
    const days = new Set<string>();
    for (const b of batches) for (const day of daysBetween(b.minTs, b.maxTs + 1)) days.add(day);
    await knex().transaction(async (trx) => {
      if (!(await lease().renew(ROLLUP_JOB, LEASE_MS, trx))) {
        throw new Error(
          'the rollup lease was lost to another instance; this chunk is left pending'
        );
      }
      const source = { batches: batches.map((b) => b.batch) };
      const closed = await closedAmong(trx, [...days]);
      for (const day of days) {
        for (const aggregate of AGGREGATES) {
          await insertSelected(trx, aggregate, aggregate.partial(trx, source, day));
          // The chunk's batches are pending until the end of this transaction: its visitors are
          // new when no rolled-up raw row of the day has them under the same key.
          const visitors = visitorPartial(trx, aggregate, source, day);
          if (visitors) await insertSelected(trx, aggregate, visitors);
        }
        await rollupSessions(trx, source, day, closed.has(day));
      }
      await notePartials(trx, [...days]);
      await trx('ua_pending_batches').whereIn('batch', source.batches).delete();
    }, rollupIsolation(knex()));
    return [...days];
  }

  const isPostgres = () => dialectOf(knex()) === 'postgres';

  /**
   * PostgreSQL plans from table statistics that autovacuum refreshes only once a tenth of a table
   * changed; meanwhile the tables the rollup and the stats API probe (ua_events by visitor,
   * ua_visitor_sessions) gain today's rows, which the statistics do not know of, and a stale
   * estimate can turn the anti-join of new rows against the day's rolled-up ones into a nested
   * loop over the whole day (seen: 40 s instead of 1 s for 6 000 rows on a table the statistics
   * still thought nearly empty). Refresh them every ANALYZE_AFTER_ROWS rows, and before a run
   * whose pending rows are more than a tenth of what the statistics think the table holds.
   */
  async function refreshPlannerStatistics(): Promise<void> {
    if (!isPostgres()) return;
    await knex().raw('ANALYZE ua_events, ua_visitor_sessions, ua_pending_batches');
    rowsSinceAnalyze = 0;
  }

  async function statisticsBehind(pendingRows: number): Promise<boolean> {
    if (!isPostgres() || !pendingRows) return false;
    const { rows } = (await knex().raw(
      "SELECT reltuples FROM pg_class WHERE oid = to_regclass('ua_events')"
    )) as { rows: { reltuples: number | string }[] };
    const known = Math.max(0, Number(rows[0]?.reltuples ?? 0));
    return pendingRows > known / 10 + 1_000;
  }

  return {
    /** Rolls up every pending batch; null when another instance holds the lease. */
    async runOnce(now = Date.now()): Promise<{
      days: string[];
      rows: number;
      chunks: number;
      months: string[];
      ms: number;
    } | null> {
      if (!(await lease().acquire(ROLLUP_JOB, LEASE_MS, now))) return null;
      const started = Date.now();
      const days = new Set<string>();
      let rows = 0;
      let chunks = 0;
      let months: string[] = [];
      try {
        while (Date.now() - started < RUN_BUDGET_MS) {
          const pending = await pendingBatches(5_000);
          if (!pending.length) break;
          if (await statisticsBehind(pending.reduce((sum, b) => sum + b.rows, 0))) {
            await refreshPlannerStatistics();
          }
          while (pending.length && Date.now() - started < RUN_BUDGET_MS) {
            chunkRows ??= onSqlite() ? SQLITE_FIRST_CHUNK_ROWS : CHUNK_ROWS;
            const [chunk] = chunkBatches(pending.slice(0, CHUNK_BATCHES), chunkRows);
            pending.splice(0, chunk.length);
            const chunkStarted = performance.now();
            for (const day of await rollupChunk(chunk)) days.add(day);
            if (onSqlite()) {
              chunkRows = nextSize(chunkRows, performance.now() - chunkStarted, SQLITE_CHUNKS);
            }
            rows += chunk.reduce((sum, b) => sum + b.rows, 0);
            chunks += 1;
            await yieldToEventLoop();
          }
        }
        for (const day of await daysToCompact(knex(), utcDay(now), COMPACT_TODAY_AFTER)) {
          await compactDay(knex(), day);
          await yieldToEventLoop();
        }
        const keepLease = (doing: string) => async () => {
          if (!(await lease().renew(ROLLUP_JOB, LEASE_MS))) {
            throw new Error(`the rollup lease was lost to another instance while ${doing}`);
          }
        };
        await closeDays(knex(), now, keepLease('closing a day'));
        months = await summarizeMonths(knex(), now, keepLease('summarizing a month'));
        rowsSinceAnalyze += rows;
        if (rowsSinceAnalyze >= ANALYZE_AFTER_ROWS) await refreshPlannerStatistics();
      } finally {
        await lease().release(ROLLUP_JOB, Date.now());
      }
      return { days: [...days].sort(), rows, chunks, months, ms: Date.now() - started };
    },

    /**
     * Raw rows not rolled up yet, the span of their event times, and which batches hold them —
     * as a source for the aggregate queries: the batch numbers themselves (an index lookup) when
     * there are up to PENDING_LIST of them, else the pending list as a subquery.
     */
    async pending(): Promise<{
      rows: number;
      from: number | null;
      to: number | null;
      source: RawSource;
    }> {
      const batches = await knex()('ua_pending_batches')
        .limit(PENDING_LIST + 1)
        .select('batch', 'row_count', 'min_ts', 'max_ts');
      if (batches.length <= PENDING_LIST) {
        return {
          rows: batches.reduce((sum, b) => sum + Number(b.row_count), 0),
          from: batches.length ? Math.min(...batches.map((b) => Number(b.min_ts))) : null,
          to: batches.length ? Math.max(...batches.map((b) => Number(b.max_ts))) : null,
          source: { batches: batches.map((b) => Number(b.batch)) },
        };
      }
      const [row] = await knex()('ua_pending_batches').select(
        knex().raw('COALESCE(SUM(row_count), 0) AS row_total'),
        knex().raw('MIN(min_ts) AS min_ts'),
        knex().raw('MAX(max_ts) AS max_ts')
      );
      return {
        rows: Number(row?.row_total ?? 0),
        from: row?.min_ts == null ? null : Number(row.min_ts),
        to: row?.max_ts == null ? null : Number(row.max_ts),
        source: PENDING,
      };
    },
  };
};

export type RollupService = ReturnType<typeof createRollup>;
export default createRollup;
