import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { MINUTE_MS } from '../../../shared/time';
import { fitRequestStatsRow } from '../collection/fit-row';
import { isolateRefusedRows } from '../collection/refused-rows';
import { isTransientWriteError } from '../collection/transient-error';
import { servicesUsed } from '../get-service';
import { PLUGIN_VERSION } from '../plugin-version';
import { MinuteRecorder, type RequestStatsRow } from '../monitoring/minute-recorder';
import { ResourceSampler, type PoolLike } from '../monitoring/resource-sampler';
import { RateLimitedLog } from '../monitoring/rate-limited-log';

const INSERT_CHUNK = 200;

/**
 * This instance's monitoring: per-minute request histograms (flushed to `ua_request_stats` once a
 * minute), resource samples every `system.sampleIntervalMs`, and a heartbeat each minute. Nothing
 * here runs on the request path but `record` (memory only); every database write happens on a
 * timer and its errors are counted and logged at most once a minute, never thrown.
 */
const createMonitoring = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['plugin-config']);
  const knex = () => strapi.db.connection as unknown as Knex;
  const recorder = new MinuteRecorder();
  const sampler = new ResourceSampler();
  const log = new RateLimitedLog(strapi.log, 60_000);
  const counters = {
    rowsWritten: 0,
    rowsRefused: 0,
    samplesWritten: 0,
    heartbeats: 0,
    flushErrors: 0,
  };
  let inFlight = 0;
  let minuteTimer: NodeJS.Timeout | null = null;
  let sampleTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  let instanceId = '';

  const id = () => (instanceId ||= use('plugin-config').instanceId());

  const insertStats = (rows: RequestStatsRow[]) =>
    knex().transaction(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx('ua_request_stats').insert(rows.slice(i, i + INSERT_CHUNK));
      }
    });

  const reachable = async () => {
    try {
      await knex().raw('select 1');
      return true;
    } catch {
      return false;
    }
  };

  async function writeRequestStats(includeCurrent: boolean): Promise<void> {
    const rows: RequestStatsRow[] = recorder.take(Date.now(), includeCurrent);
    if (!rows.length) return;
    for (const row of rows) fitRequestStatsRow(row).instance_id = id();
    try {
      await insertStats(rows);
      counters.rowsWritten += rows.length;
    } catch (error) {
      // A row the database refuses is dropped alone and the rest of the minute written now. When
      // no row goes in (a missing table, a permission), the rows are kept for the next minute,
      // as in an outage: the recorder keeps at most an hour of them.
      if (!isTransientWriteError(error) && (await reachable())) {
        const result = await isolateRefusedRows(rows, error, insertStats, reachable);
        if (result.written.length) {
          counters.rowsWritten += result.written.length;
          counters.rowsRefused += result.refused.length;
          if (result.refused.length) {
            log.error(
              'request-stats-refused',
              `[usage-analytics] request stats: the database refused ${result.refused.length} ` +
                `row(s), dropped: ${message(result.reason)}`
            );
          }
          if (result.processed === rows.length) return;
          rows.splice(0, result.processed);
        }
      }
      counters.flushErrors += 1;
      recorder.putBack(rows);
      log.warn(
        'request-stats',
        `[usage-analytics] request stats: write failed (${counters.flushErrors} failures so far, ` +
          `${recorder.pendingMinutes()} minutes kept, ${recorder.counters.droppedMinutes} dropped); ` +
          `retrying next minute: ${message(error)}`
      );
    }
  }

  async function writeHeartbeat(now = Date.now()): Promise<void> {
    try {
      await knex()('ua_heartbeats')
        .insert({ instance_id: id(), minute: now - (now % MINUTE_MS), version: PLUGIN_VERSION })
        .onConflict(['instance_id', 'minute'])
        .ignore();
      counters.heartbeats += 1;
    } catch (error) {
      log.warn('heartbeat', `[usage-analytics] heartbeat: write failed: ${message(error)}`);
    }
  }

  async function writeSample(): Promise<void> {
    try {
      const pool = (knex().client as unknown as { pool?: PoolLike }).pool;
      const sample = sampler.sample(inFlight, pool);
      await knex()('ua_system_samples').insert({ ...sample, instance_id: id() });
      counters.samplesWritten += 1;
    } catch (error) {
      log.warn('sample', `[usage-analytics] resource sample: write failed: ${message(error)}`);
    }
  }

  /** Writes closed minutes (and the current one with `includeCurrent`); one write at a time. */
  async function flush(includeCurrent = false): Promise<void> {
    while (flushing) await flushing;
    flushing = writeRequestStats(includeCurrent).finally(() => {
      flushing = null;
    });
    return flushing;
  }

  function scheduleMinute(): void {
    // Just after each minute starts: the previous minute is closed and goes out in one write.
    const delay = MINUTE_MS - (Date.now() % MINUTE_MS) + 1_000;
    minuteTimer = setTimeout(() => {
      void Promise.all([flush(), writeHeartbeat()]).finally(() => {
        if (minuteTimer) scheduleMinute();
      });
    }, delay);
    minuteTimer.unref();
  }

  return {
    enabled(): boolean {
      return use('plugin-config').get().monitoring.enabled;
    },

    /** The request path: memory only. `at`: when the request ended, if not just now. */
    record(method: string, route: string, status: number, ms: number, at = Date.now()): void {
      recorder.record(at, method, route, status, ms);
    },

    requestStarted(): void {
      inFlight += 1;
    },

    requestEnded(): void {
      inFlight -= 1;
    },

    start(): void {
      if (!this.enabled() || minuteTimer) return;
      sampler.start();
      void writeHeartbeat();
      scheduleMinute();
      const { sampleIntervalMs } = use('plugin-config').get().system;
      sampleTimer = setInterval(() => void writeSample(), sampleIntervalMs);
      sampleTimer.unref();
    },

    flush,
    writeHeartbeat,
    writeSample,

    async stop(): Promise<void> {
      if (minuteTimer) clearTimeout(minuteTimer);
      if (sampleTimer) clearInterval(sampleTimer);
      minuteTimer = sampleTimer = null;
      sampler.stop();
      await flush(true);
    },

    stats() {
      return {
        ...counters,
        ...recorder.counters,
        pendingMinutes: recorder.pendingMinutes(),
        inFlight,
      };
    },
  };
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type MonitoringService = ReturnType<typeof createMonitoring>;
export default createMonitoring;
