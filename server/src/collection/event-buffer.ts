import { isolateRefusedRows } from './refused-rows';
import { isTransientWriteError } from './transient-error';
import { yieldToEventLoop } from '../yield-to-event-loop';
import { nextSize, type TimeTarget } from '../sized-to-time';

export interface EventBufferOptions<Row> {
  name: string;
  /** Rows held in memory at most; beyond it new rows are dropped and counted. */
  maxEvents: number;
  /** Rows per write. A full batch is written at once, without waiting for the timer. */
  maxBatch: number;
  /** How often buffered rows are written. */
  intervalMs: number;
  /**
   * Batches sized to take about this long to write (never over `maxBatch`), starting at `first`
   * rows: where a write holds the thread while it runs (SQLite), requests get their turn between
   * two short batches instead of waiting for one long one.
   */
  batchTime?: TimeTarget & { first: number };
  write: (rows: Row[]) => Promise<void>;
  /**
   * Rejects when the database is unreachable. Lets a failing batch tell an outage (keep the rows)
   * from rows the database refuses (drop them) with one query instead of one write per row.
   */
  probe?: () => Promise<void>;
  /**
   * Rows with the same non-null key, pushed while the first is still waiting for its write, are
   * merged into it (`merge`) instead of being queued; `weight` says how many events a row holds.
   */
  mergeKey?: (row: Row) => string | null;
  merge?: (into: Row, row: Row) => void;
  weight?: (row: Row) => number;
  log?: { warn(message: string): void; error?(message: string): void };
}

export interface EventBufferStats {
  /** Events accepted (a merged event counts, though it adds no row). */
  accepted: number;
  dropped: number;
  /** Events written. */
  flushed: number;
  flushErrors: number;
  /** Rows the database refused (dropped so they cannot block the rest). */
  rejected: number;
  pending: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * A bounded in-memory queue of rows with a background writer. `push` never waits and never throws:
 * the request path only appends to an array. Rows are written in batches every `intervalMs`; a
 * failed write keeps its rows and is retried with exponential backoff; when the queue is full new
 * rows are dropped and counted.
 */
export class EventBuffer<Row> {
  private queue: Row[] = [];
  /** Queued rows still open to merges, by merge key; closed when a write takes them. */
  private open = new Map<string, Row>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private failures = 0;
  private retryAt = 0;
  private lastWarnAt = 0;
  private stopped = false;
  private readonly counters = { accepted: 0, dropped: 0, flushed: 0, flushErrors: 0, rejected: 0 };
  /** Rows of the next write. */
  private batchRows: number;

  constructor(private readonly options: EventBufferOptions<Row>) {
    this.batchRows = Math.min(options.maxBatch, options.batchTime?.first ?? options.maxBatch);
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Queues a row; false when it was dropped because the buffer is full. */
  push(row: Row): boolean {
    const key = this.options.mergeKey?.(row) ?? null;
    if (key !== null) {
      const into = this.open.get(key);
      if (into) {
        this.options.merge?.(into, row);
        this.counters.accepted += 1;
        return true;
      }
    }
    if (this.queue.length >= this.options.maxEvents) {
      this.counters.dropped += 1;
      return false;
    }
    this.queue.push(row);
    if (key !== null) this.open.set(key, row);
    this.counters.accepted += 1;
    // After stop() (Strapi is shutting down but may still finish a request), write at once.
    if (this.stopped || (this.queue.length >= this.options.maxBatch && !this.writing)) {
      void this.flush();
    }
    return true;
  }

  /** Writes everything queued now (batch by batch); resolves when done or after a failure. */
  flush(): Promise<void> {
    if (this.writing) return this.writing;
    if (!this.queue.length || Date.now() < this.retryAt) return Promise.resolve();
    this.writing = this.drain().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  /** Stops the timer and writes what is left, retrying a few times; what still fails is counted. */
  async stop(retries = 3): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (let attempt = 0; attempt <= retries && this.queue.length; attempt += 1) {
      if (this.writing) await this.writing;
      this.retryAt = 0;
      await this.flush();
      if (this.queue.length && attempt < retries) {
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
    if (this.queue.length) {
      this.counters.dropped += this.weigh(this.queue);
      this.options.log?.error?.(
        `[usage-analytics] ${this.options.name}: ${this.queue.length} buffered rows could not be written at shutdown`
      );
      this.queue = [];
    }
  }

  stats(): EventBufferStats {
    return { ...this.counters, pending: this.queue.length };
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.slice(0, this.batchRows);
      // The writer copies the rows when called: merging into them afterwards would be lost.
      this.open.clear();
      try {
        const started = performance.now();
        await this.options.write(batch);
        this.resize(batch.length, performance.now() - started);
      } catch (error) {
        if (!isTransientWriteError(error) && (await this.isolateRefused(batch, error))) continue;
        this.onWriteError(error);
        return;
      }
      this.queue.splice(0, batch.length);
      this.counters.flushed += this.weigh(batch);
      this.failures = 0;
      this.retryAt = 0;
      // Requests get their turn between batches: on SQLite a write holds the thread while it runs.
      if (this.queue.length) await yieldToEventLoop();
    }
  }

  /** The next batch's rows, from how long a write of `rows` rows took (with `batchTime`). */
  private resize(rows: number, elapsedMs: number): void {
    const target = this.options.batchTime;
    // A short batch (the queue held no more) says little about how long a full one takes.
    if (!target || rows < this.batchRows) return;
    this.batchRows = Math.min(this.options.maxBatch, nextSize(rows, elapsedMs, target));
  }

  /**
   * A batch failed for a reason other than a deadlock or a timeout: if the database is up, some
   * rows are refused for what they are. They are found by writing halves of the batch, dropped,
   * counted and logged, and the rest of the batch is written now (returns true). During an outage
   * the batch stays queued (returns false), as do the rows after an outage that starts halfway.
   *
   * With a `probe`, the database is asked once before and after each refused part, so an outage
   * costs one query, not one failed write per row. Without one, a batch is only split after a
   * second failure, and a batch none of whose rows goes in is taken for an outage.
   */
  private async isolateRefused(batch: Row[], error: unknown): Promise<boolean> {
    const probe = this.options.probe;
    const reachable = async () => {
      if (!probe) return true;
      try {
        await probe();
        return true;
      } catch {
        return false;
      }
    };
    if (probe ? !(await reachable()) : this.failures < 1) return false;
    const result = await isolateRefusedRows(batch, error, this.options.write, reachable);
    if (!probe && !result.written.length) return false;
    this.queue.splice(0, result.processed);
    this.counters.flushed += this.weigh(result.written);
    this.counters.rejected += this.weigh(result.refused);
    this.failures = 0;
    this.retryAt = 0;
    if (result.refused.length) {
      const reason = result.reason instanceof Error ? result.reason.message : result.reason;
      this.options.log?.error?.(
        `[usage-analytics] ${this.options.name}: the database refused ${result.refused.length} ` +
          `row(s), dropped; the other ${result.written.length} were written: ${reason}`
      );
    }
    return result.processed === batch.length;
  }

  private weigh(rows: Row[]): number {
    const weight = this.options.weight;
    return weight ? rows.reduce((sum, row) => sum + weight(row), 0) : rows.length;
  }

  private onWriteError(error: unknown): void {
    this.failures += 1;
    this.counters.flushErrors += 1;
    this.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, 500 * 2 ** (this.failures - 1));
    const now = Date.now();
    if (now - this.lastWarnAt > 10_000) {
      this.lastWarnAt = now;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.log?.warn(
        `[usage-analytics] ${this.options.name}: write failed (${this.counters.flushErrors} failures so far, ` +
          `${this.queue.length} rows kept, ${this.counters.dropped} dropped); retrying: ${reason}`
      );
    }
  }
}
