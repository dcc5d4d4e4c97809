type Row = Record<string, unknown>;

interface Entry {
  version: string;
  rows: Promise<Row[]>;
  size: number;
}

/**
 * Query results over a run of days of an aggregate table, kept in memory while those days' data
 * has not changed. A day changes only when the rollup adds to it (its version in
 * `ua_rollup_days` goes up) or when retention deletes it; callers pass both in `version`, read
 * before the query runs, so a result can be newer than its version (recomputed once more) but
 * never older. Bounded by the total number of rows held; the least recently used go first.
 */
export class DayRangeCache {
  private readonly entries = new Map<string, Entry>();
  private rows = 0;

  constructor(private readonly maxRows: number) {}

  /** `keep` false: the result is answered, not kept (e.g. one too large to be of use later). */
  async get(
    key: string,
    version: string,
    compute: () => Promise<Row[]>,
    keep: (rows: Row[]) => boolean = () => true
  ): Promise<Row[]> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.rows;
    }
    if (hit) this.drop(key);
    const entry: Entry = { version, rows: compute(), size: 0 };
    this.entries.set(key, entry);
    let rows: Row[];
    try {
      rows = await entry.rows;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
    if (this.entries.get(key) === entry) {
      if (rows.length > this.maxRows || !keep(rows)) {
        this.entries.delete(key);
      } else {
        entry.size = rows.length;
        this.rows += rows.length;
        this.evict();
      }
    }
    return rows;
  }

  /** Rows held, for tests and diagnostics. */
  get size(): number {
    return this.rows;
  }

  clear(): void {
    this.entries.clear();
    this.rows = 0;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.rows -= entry.size;
    this.entries.delete(key);
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.rows <= this.maxRows) return;
      this.drop(key);
    }
  }
}
