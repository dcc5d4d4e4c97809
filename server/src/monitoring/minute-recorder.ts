import { MINUTE_MS } from '../../../shared/time';
import { fitMethod } from '../collection/fit-row';
import { LogHistogram } from './log-histogram';

/** Distinct (method, route, status class) series per minute at most; more are counted, not kept. */
const MAX_SERIES_PER_MINUTE = 5_000;
/** Closed minutes kept while the database cannot take them (an hour of outage). */
const MAX_PENDING_MINUTES = 60;

export interface RequestStatsRow {
  minute: number;
  instance_id: string;
  method: string;
  route: string;
  status_class: number;
  count: number;
  error_count: number;
  sum_ms: number;
  min_ms: number;
  max_ms: number;
  histogram: string;
}

interface Series {
  method: string;
  route: string;
  statusClass: number;
  count: number;
  errors: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
  histogram: LogHistogram;
}

interface Minute {
  minute: number;
  series: Map<string, Series>;
}

/**
 * Per-minute request histograms of one instance. `record` is what a request costs: one map
 * lookup and a few additions. Closed minutes wait in `pending` until `take` hands them to the
 * writer; if the writer keeps failing, the oldest minutes are dropped and counted.
 */
export class MinuteRecorder {
  private current: Minute = { minute: -1, series: new Map() };
  private pending: Minute[] = [];
  readonly counters = { recorded: 0, droppedSeries: 0, droppedMinutes: 0 };

  record(now: number, rawMethod: string, route: string, status: number, ms: number): void {
    // Any method but the usual ones is one series: `UNSUBSCRIBE` is longer than its column.
    const method = fitMethod(rawMethod);
    const minute = now - (now % MINUTE_MS);
    if (minute !== this.current.minute) this.rotate(minute);
    const statusClass = status >= 100 && status < 600 ? Math.floor(status / 100) : 5;
    const key = `${method} ${statusClass} ${route}`;
    let series = this.current.series.get(key);
    if (!series) {
      if (this.current.series.size >= MAX_SERIES_PER_MINUTE) {
        this.counters.droppedSeries += 1;
        return;
      }
      series = {
        method,
        route,
        statusClass,
        count: 0,
        errors: 0,
        sumMs: 0,
        minMs: ms,
        maxMs: ms,
        histogram: new LogHistogram(),
      };
      this.current.series.set(key, series);
    }
    series.count += 1;
    if (statusClass === 5) series.errors += 1;
    series.sumMs += ms;
    if (ms < series.minMs) series.minMs = ms;
    if (ms > series.maxMs) series.maxMs = ms;
    series.histogram.record(ms);
    this.counters.recorded += 1;
  }

  /** Rows of the closed minutes (and of the current one too with `includeCurrent`), removed. */
  take(now: number, includeCurrent = false): RequestStatsRow[] {
    const minute = now - (now % MINUTE_MS);
    if (includeCurrent || minute !== this.current.minute) this.rotate(minute);
    const minutes = this.pending.splice(0);
    return minutes.flatMap((m) => toRows(m));
  }

  /** Puts rows that could not be written back, oldest first, within the bound. */
  putBack(rows: RequestStatsRow[]): void {
    const byMinute = new Map<number, Minute>();
    for (const row of rows) {
      let m = byMinute.get(row.minute);
      if (!m) byMinute.set(row.minute, (m = { minute: row.minute, series: new Map() }));
      m.series.set(`${row.method} ${row.status_class} ${row.route}`, {
        method: row.method,
        route: row.route,
        statusClass: row.status_class,
        count: row.count,
        errors: row.error_count,
        sumMs: row.sum_ms,
        minMs: row.min_ms,
        maxMs: row.max_ms,
        histogram: LogHistogram.parse(row.histogram),
      });
    }
    this.pending.unshift(...byMinute.values());
    this.bound();
  }

  pendingMinutes(): number {
    return this.pending.length;
  }

  private rotate(minute: number): void {
    if (this.current.series.size) this.pending.push(this.current);
    this.current = { minute, series: new Map() };
    this.bound();
  }

  private bound(): void {
    while (this.pending.length > MAX_PENDING_MINUTES) {
      this.pending.shift();
      this.counters.droppedMinutes += 1;
    }
  }
}

/** Rows without the instance id, which the writer fills in. */
function toRows(m: Minute): RequestStatsRow[] {
  return [...m.series.values()].map((s) => ({
    minute: m.minute,
    instance_id: '',
    method: s.method,
    route: s.route,
    status_class: s.statusClass,
    count: s.count,
    error_count: s.errors,
    sum_ms: s.sumMs,
    min_ms: s.minMs,
    max_ms: s.maxMs,
    histogram: JSON.stringify(s.histogram.toJSON()),
  }));
}
