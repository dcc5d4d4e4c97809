import { EventBuffer } from '../../server/src/collection/event-buffer';
import { isolateRefusedRows } from '../../server/src/collection/refused-rows';
import { isTransientWriteError } from '../../server/src/collection/transient-error';

const make = (write: (rows: number[]) => Promise<void>, overrides = {}) =>
  new EventBuffer<number>({
    name: 'test',
    maxEvents: 5,
    maxBatch: 2,
    intervalMs: 60_000,
    write,
    ...overrides,
  });

describe('EventBuffer', () => {
  it('writes everything in batches of maxBatch', async () => {
    const batches: number[][] = [];
    const buffer = make(async (rows) => void batches.push(rows));
    for (const n of [1, 2, 3]) expect(buffer.push(n)).toBe(true);
    await buffer.flush();
    expect(batches).toEqual([[1, 2], [3]]);
    expect(buffer.stats()).toMatchObject({ accepted: 3, flushed: 3, dropped: 0, pending: 0 });
  });

  it('lets the event loop run between batches (a synchronous SQLite write blocks it)', async () => {
    const happened: string[] = [];
    const buffer = make(async (rows) => void happened.push(`write ${rows.join(',')}`));
    for (const n of [1, 2, 3, 4, 5]) buffer.push(n);
    setImmediate(() => happened.push('other work'));
    await buffer.flush();
    expect(happened).toEqual(['write 1,2', 'other work', 'write 3,4', 'write 5']);
  });

  describe('batches sized to time (batchTime, as on SQLite)', () => {
    // A write that holds the thread for `msPerRow` per row, as a synchronous SQLite write does.
    const holding = (msPerRow: number, sizes: number[]) => async (rows: number[]) => {
      sizes.push(rows.length);
      const end = performance.now() + rows.length * msPerRow;
      while (performance.now() < end);
    };
    const sized = (write: (rows: number[]) => Promise<void>) =>
      make(write, {
        maxEvents: 2_000,
        maxBatch: 300,
        batchTime: { targetMs: 10, min: 10, max: 2_000, first: 100 },
      });
    const pushAll = (buffer: EventBuffer<number>, n: number) => {
      for (let i = 0; i < n; i += 1) buffer.push(i);
    };

    it('halves a batch that took over twice the target, down to one that fits it', async () => {
      const sizes: number[] = [];
      const buffer = sized(holding(0.3, sizes)); // 100 rows: 30 ms, 50 rows: 15 ms
      pushAll(buffer, 400);
      await buffer.flush();
      expect(sizes.slice(0, 4)).toEqual([100, 50, 50, 50]);
      expect(buffer.stats()).toMatchObject({ flushed: 400, pending: 0 });
    });

    it('doubles a batch that took under half the target, never past maxBatch', async () => {
      const sizes: number[] = [];
      const buffer = sized(holding(0, sizes));
      pushAll(buffer, 1_000);
      await buffer.flush();
      expect(sizes).toEqual([100, 200, 300, 300, 100]);
    });

    it('learns nothing from a short batch (the queue held fewer rows)', async () => {
      const sizes: number[] = [];
      const buffer = sized(holding(0.3, sizes));
      pushAll(buffer, 30); // 9 ms: under half the target, but only 30 rows were queued
      await buffer.flush();
      pushAll(buffer, 250);
      await buffer.flush();
      expect(sizes.slice(0, 3)).toEqual([30, 100, 50]);
    });
  });

  it('drops and counts rows past maxEvents instead of growing', async () => {
    const buffer = make(async () => {
      throw new Error('database down');
    });
    const results = [1, 2, 3, 4, 5, 6, 7].map((n) => buffer.push(n));
    expect(results).toEqual([true, true, true, true, true, false, false]);
    expect(buffer.stats()).toMatchObject({ accepted: 5, dropped: 2, pending: 5 });
  });

  it('keeps the rows of a failed write and writes them once the database is back', async () => {
    let down = true;
    const written: number[] = [];
    const warnings: string[] = [];
    const buffer = make(
      async (rows) => {
        if (down) throw new Error('connection refused');
        written.push(...rows);
      },
      { log: { warn: (m: string) => warnings.push(m) } }
    );
    buffer.push(1);
    buffer.push(2);
    await buffer.flush();
    expect(buffer.stats()).toMatchObject({ flushErrors: 1, pending: 2, flushed: 0 });
    expect(warnings[0]).toContain('connection refused');
    down = false;
    await buffer.stop();
    expect(written).toEqual([1, 2]);
    expect(buffer.stats()).toMatchObject({ flushed: 2, pending: 0, dropped: 0 });
  });

  it('counts what it still cannot write at shutdown as dropped', async () => {
    const errors: string[] = [];
    const buffer = make(
      async () => {
        throw new Error('gone');
      },
      { log: { warn: () => undefined, error: (m: string) => errors.push(m) } }
    );
    buffer.push(1);
    await buffer.stop(1);
    expect(buffer.stats()).toMatchObject({ dropped: 1, pending: 0 });
    expect(errors[0]).toContain('1 buffered rows could not be written');
  });
});

describe('EventBuffer merging identical rows', () => {
  type Row = { key: string; hits: number };
  const merging = (write: (rows: Row[]) => Promise<void>) =>
    new EventBuffer<Row>({
      name: 'test',
      maxEvents: 3,
      maxBatch: 10,
      intervalMs: 60_000,
      write,
      mergeKey: (row) => row.key,
      merge: (into, row) => {
        into.hits += row.hits;
      },
      weight: (row) => row.hits,
    });

  it('merges rows with the same key while they wait, and counts events, not rows', async () => {
    const written: Row[] = [];
    const buffer = merging(async (rows) => void written.push(...rows.map((r) => ({ ...r }))));
    for (const key of ['a', 'a', 'b', 'a', 'c', 'b']) {
      expect(buffer.push({ key, hits: 1 })).toBe(true);
    }
    // Merged rows take no room: three distinct keys fit maxEvents 3 after six pushes.
    expect(buffer.stats()).toMatchObject({ accepted: 6, pending: 3, dropped: 0 });
    await buffer.flush();
    expect(written).toEqual([
      { key: 'a', hits: 3 },
      { key: 'b', hits: 2 },
      { key: 'c', hits: 1 },
    ]);
    expect(buffer.stats()).toMatchObject({ accepted: 6, flushed: 6, pending: 0 });
  });

  it('never merges into a row a write has already taken', async () => {
    const written: Row[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const buffer = merging(async (rows) => {
      written.push(...rows.map((r) => ({ ...r })));
      await gate;
    });
    buffer.push({ key: 'a', hits: 1 });
    const flushing = buffer.flush();
    // The write has copied the row; a new identical row must be queued, not merged.
    buffer.push({ key: 'a', hits: 1 });
    release();
    await flushing;
    await buffer.flush();
    expect(written).toEqual([
      { key: 'a', hits: 1 },
      { key: 'a', hits: 1 },
    ]);
    expect(buffer.stats()).toMatchObject({ accepted: 2, flushed: 2 });
  });
});

describe('EventBuffer with a row the database refuses', () => {
  it('drops only that row, after a retry, and writes the rest', async () => {
    const written: number[] = [];
    const errors: string[] = [];
    const buffer = new EventBuffer<number>({
      name: 'test',
      maxEvents: 100,
      maxBatch: 10,
      intervalMs: 60_000,
      write: async (rows) => {
        if (rows.includes(13)) throw new Error('value out of range');
        written.push(...rows);
      },
      log: { warn: () => undefined, error: (m: string) => errors.push(m) },
    });
    for (const n of [11, 12, 13, 14]) buffer.push(n);
    await buffer.flush(); // first failure: kept, as in an outage
    expect(buffer.stats()).toMatchObject({ pending: 4, flushErrors: 1 });
    await buffer.stop(); // second failure: row by row
    expect(written).toEqual([11, 12, 14]);
    expect(buffer.stats()).toMatchObject({ flushed: 3, rejected: 1, pending: 0, dropped: 0 });
    expect(errors[0]).toContain('refused 1 row(s)');
  });
});

describe('EventBuffer with a probe of the database', () => {
  const probed = (write: (rows: number[]) => Promise<void>, probe: () => Promise<void>) =>
    new EventBuffer<number>({
      name: 'test',
      maxEvents: 100,
      maxBatch: 10,
      intervalMs: 60_000,
      write,
      probe,
      log: { warn: () => undefined, error: () => undefined },
    });

  it('keeps a batch during an outage after one probe, without trying each row', async () => {
    let writes = 0;
    let probes = 0;
    const buffer = probed(
      async () => {
        writes += 1;
        throw new Error('connection refused');
      },
      async () => {
        probes += 1;
        throw new Error('connection refused');
      }
    );
    for (let n = 0; n < 10; n += 1) buffer.push(n);
    await buffer.flush();
    await buffer.stop(0);
    // One batch write and one probe per attempt, not one write per row.
    expect({ writes, probes }).toEqual({ writes: 2, probes: 2 });
    expect(buffer.stats()).toMatchObject({ rejected: 0, dropped: 10 });
  });

  it('drops a batch whose every row the database refuses, instead of retrying it forever', async () => {
    const buffer = probed(
      async () => {
        throw new Error('invalid byte sequence');
      },
      async () => undefined
    );
    for (const n of [1, 2, 3]) buffer.push(n);
    await buffer.flush();
    expect(buffer.stats()).toMatchObject({ rejected: 3, pending: 0, flushErrors: 0, dropped: 0 });
  });

  it('keeps the rows after an outage that starts halfway through the isolation', async () => {
    let up = true;
    const written: number[] = [];
    const buffer = probed(
      async (rows) => {
        if (rows.length > 1) throw new Error('value out of range');
        if (rows[0] === 3) up = false; // the database goes away while row 3 is written
        if (!up) throw new Error('connection refused');
        written.push(...rows);
      },
      async () => {
        if (!up) throw new Error('connection refused');
      }
    );
    for (const n of [1, 2, 3, 4, 5]) buffer.push(n);
    await buffer.flush(); // halves, then single rows, until the outage at 3
    expect(written).toEqual([1, 2]);
    expect(buffer.stats()).toMatchObject({ rejected: 0, flushed: 2, pending: 3, flushErrors: 1 });
    await buffer.stop(0);
    expect(buffer.stats()).toMatchObject({ rejected: 0, flushed: 2, dropped: 3 });
  });
});

describe('EventBuffer isolating refused rows by halves', () => {
  it('drops only the refused rows and writes the rest of the batch in the same flush', async () => {
    const written: number[] = [];
    const errors: string[] = [];
    let writes = 0;
    const refused = new Set([17, 600]);
    const buffer = new EventBuffer<number>({
      name: 'test',
      maxEvents: 10_000,
      maxBatch: 1000,
      intervalMs: 60_000,
      write: async (rows) => {
        writes += 1;
        if (rows.some((n) => refused.has(n))) throw new Error('value too long for type');
        written.push(...rows);
      },
      probe: async () => undefined,
      log: { warn: () => undefined, error: (m: string) => errors.push(m) },
    });
    for (let n = 0; n < 1000; n += 1) buffer.push(n);
    await buffer.flush();
    expect(buffer.stats()).toMatchObject({
      flushed: 998,
      rejected: 2,
      pending: 0,
      flushErrors: 0,
      dropped: 0,
    });
    expect(written).toHaveLength(998);
    expect(written.includes(17) || written.includes(600)).toBe(false);
    // Halving, not one write per row: 2 bad rows among 1000 cost about 2·2·log2(1000) writes.
    expect(writes).toBeLessThanOrEqual(45);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('refused 2 row(s)');
  });
});

describe('EventBuffer after a deadlock or a timeout', () => {
  // Room for every row in one batch; the log ignored.
  const quiet = (write: (rows: number[]) => Promise<void>, overrides = {}) =>
    make(write, {
      maxEvents: 100,
      maxBatch: 10,
      log: { warn: () => undefined, error: () => undefined },
      ...overrides,
    });
  const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
  const lockWait = () =>
    Object.assign(new Error('Lock wait timeout exceeded'), {
      errno: 1205,
      code: 'ER_LOCK_WAIT_TIMEOUT',
    });

  it('keeps a single row that failed twice for no fault of its own, and writes it later', async () => {
    const written: number[] = [];
    let failures = 2;
    const buffer = quiet(
      async (rows) => {
        if (failures > 0) {
          failures -= 1;
          throw deadlock();
        }
        written.push(...rows);
      },
      { probe: async () => undefined }
    );
    buffer.push(7);
    await buffer.flush(); // first deadlock: kept
    await buffer.stop(); // second deadlock: kept again (not written on its own and refused), then written
    expect(written).toEqual([7]);
    expect(buffer.stats()).toMatchObject({
      flushed: 1,
      rejected: 0,
      pending: 0,
      dropped: 0,
      flushErrors: 2,
    });
  });

  it('stops isolating at a lock timeout and keeps the rows from there on', async () => {
    const written: number[] = [];
    let timeoutAt: number | null = 3;
    const buffer = quiet(
      async (rows) => {
        if (rows.includes(2)) throw new Error('value out of range');
        if (rows[0] === timeoutAt) {
          timeoutAt = null;
          throw lockWait();
        }
        written.push(...rows);
      },
      { probe: async () => undefined }
    );
    for (const n of [1, 2, 3, 4]) buffer.push(n);
    // 1 written, 2 refused, then the lock timeout at 3 keeps 3 and 4 for the retry.
    await buffer.flush();
    expect(written).toEqual([1]);
    expect(buffer.stats()).toMatchObject({ rejected: 1, pending: 2, flushErrors: 1 });
    await buffer.stop();
    expect(written).toEqual([1, 3, 4]);
    expect(buffer.stats()).toMatchObject({ flushed: 3, rejected: 1, pending: 0 });
  });
});

describe('isTransientWriteError', () => {
  const err = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);
  it.each([
    ['a PostgreSQL deadlock', true, err({ code: '40P01' })],
    ['a PostgreSQL connection failure', true, err({ code: '08006' })],
    ['a MariaDB lock wait timeout', true, err({ errno: 1205 })],
    ['a busy SQLite database', true, err({ code: 'SQLITE_BUSY' })],
    ["knex's pool timeout", true, Object.assign(new Error('x'), { name: 'KnexTimeoutError' })],
    ['a refused connection', true, err({ code: 'ECONNREFUSED', errno: -111 })],
    ['a PostgreSQL value too long', false, err({ code: '22001' })],
    ['a unique violation', false, err({ code: '23505' })],
    ['a MariaDB data too long', false, err({ errno: 1406, code: 'ER_DATA_TOO_LONG' })],
    ['a SQLite constraint', false, err({ code: 'SQLITE_CONSTRAINT_NOTNULL' })],
    ['an error without a code', false, new Error('value out of range')],
  ])('%s: transient %s', (_what, transient, error) => {
    expect(isTransientWriteError(error)).toBe(transient);
  });
});

describe('isolateRefusedRows', () => {
  it('writes every row but the refused ones, by halves, and reports them in order', async () => {
    const writes: number[][] = [];
    const result = await isolateRefusedRows(
      [1, 2, 3, 4, 5, 6, 7, 8],
      new Error('batch refused'),
      async (rows) => {
        writes.push(rows);
        if (rows.includes(3) || rows.includes(8)) throw new Error(`refused ${rows.join(',')}`);
      },
      async () => true
    );
    expect(result.written).toEqual([1, 2, 4, 5, 6, 7]);
    expect(result.refused).toEqual([3, 8]);
    expect(result.processed).toBe(8);
    expect((result.reason as Error).message).toBe('refused 8');
    // Halves of 4, of 2, then single rows only where a half failed.
    expect(writes).toHaveLength(10);
  });

  it('stops where the database goes away and leaves the rest untried', async () => {
    let up = true;
    const result = await isolateRefusedRows(
      [1, 2, 3, 4],
      new Error('batch refused'),
      async (rows) => {
        if (rows.includes(3)) up = false;
        if (!up) throw new Error('connection lost');
      },
      async () => up
    );
    expect(result).toMatchObject({ processed: 2, written: [1, 2], refused: [] });
  });
});
