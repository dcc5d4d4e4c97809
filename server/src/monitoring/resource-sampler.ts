import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface ResourceSample {
  ts: number;
  cpu_pct: number;
  rss: number;
  heap_used: number;
  heap_total: number;
  event_loop_p50_ms: number;
  event_loop_p99_ms: number;
  in_flight: number;
  uptime_s: number;
  db_pool_used: number | null;
  db_pool_free: number | null;
  db_pool_pending: number | null;
}

/** What knex's pool (tarn) exposes; other pools give nothing and the columns stay null. */
export interface PoolLike {
  numUsed?: () => number;
  numFree?: () => number;
  numPendingAcquires?: () => number;
}

/**
 * Reads this process's resources since the previous sample: CPU % (of one core, user + system),
 * memory, and the event-loop delay percentiles from `perf_hooks.monitorEventLoopDelay`, whose
 * histogram is reset after each read so every sample covers its own interval.
 */
export class ResourceSampler {
  private loop: IntervalHistogram | null = null;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  start(): void {
    if (this.loop) return;
    this.loop = monitorEventLoopDelay({ resolution: 20 });
    this.loop.enable();
    this.lastCpu = process.cpuUsage();
    this.lastAt = performance.now();
  }

  stop(): void {
    this.loop?.disable();
    this.loop = null;
  }

  sample(inFlight: number, pool: PoolLike | null | undefined, now = Date.now()): ResourceSample {
    const cpu = process.cpuUsage(this.lastCpu);
    const at = performance.now();
    const elapsedMs = Math.max(1, at - this.lastAt);
    this.lastCpu = process.cpuUsage();
    this.lastAt = at;
    const memory = process.memoryUsage();
    const loop = this.loop;
    const p50 = loop && loop.count > 0 ? loop.percentile(50) / 1e6 : 0;
    const p99 = loop && loop.count > 0 ? loop.percentile(99) / 1e6 : 0;
    loop?.reset();
    const poolNumber = (read?: () => number) => {
      try {
        return typeof read === 'function' ? read.call(pool) : null;
      } catch {
        return null;
      }
    };
    return {
      ts: now,
      cpu_pct: round((100 * (cpu.user + cpu.system)) / 1000 / elapsedMs),
      rss: memory.rss,
      heap_used: memory.heapUsed,
      heap_total: memory.heapTotal,
      event_loop_p50_ms: round(p50),
      event_loop_p99_ms: round(p99),
      in_flight: inFlight,
      uptime_s: Math.round(process.uptime()),
      db_pool_used: poolNumber(pool?.numUsed),
      db_pool_free: poolNumber(pool?.numFree),
      db_pool_pending: poolNumber(pool?.numPendingAcquires),
    };
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
