import { chunkBatches, type PendingBatch } from '../../server/src/services/rollup';

/** Pending batches numbered from 1, oldest first, with these row counts. */
const pending = (...rows: number[]): PendingBatch[] =>
  rows.map((n, i) => ({ batch: i + 1, rows: n, minTs: i * 1000, maxTs: i * 1000 + 999 }));

/** Each chunk as the batch numbers it rolls up in one transaction. */
const numbers = (chunks: PendingBatch[][]) => chunks.map((chunk) => chunk.map((b) => b.batch));

describe('rollup chunks', () => {
  it('has nothing to do without pending batches', () => {
    expect(chunkBatches([])).toEqual([]);
  });

  it('rolls up batches together while their rows fit in a chunk', () => {
    expect(numbers(chunkBatches(pending(100, 200, 300), 1000))).toEqual([[1, 2, 3]]);
    // Exactly full is still one chunk.
    expect(numbers(chunkBatches(pending(500, 500), 1000))).toEqual([[1, 2]]);
  });

  it('starts a new chunk at the batch that would overflow it, oldest first', () => {
    expect(numbers(chunkBatches(pending(600, 300, 200, 900, 100), 1000))).toEqual([
      [1, 2],
      [3],
      [4, 5],
    ]);
  });

  it('gives a batch larger than a chunk a chunk of its own', () => {
    expect(numbers(chunkBatches(pending(10, 5000, 10), 1000))).toEqual([[1], [2], [3]]);
  });

  it('caps the number of batches in a chunk', () => {
    expect(
      chunkBatches(pending(...Array(1201).fill(1)), 1_000_000, 500).map((c) => c.length)
    ).toEqual([500, 500, 201]);
  });

  it('takes 50,000 rows and 500 batches per chunk by default', () => {
    expect(chunkBatches(pending(30_000, 20_000, 1)).map((c) => c.length)).toEqual([2, 1]);
    expect(chunkBatches(pending(...Array(501).fill(1))).map((c) => c.length)).toEqual([500, 1]);
  });

  it('rolls up every pending batch exactly once, in order', () => {
    const batches = pending(...Array.from({ length: 300 }, (_, i) => ((i * 7919) % 997) + 1));
    const chunks = chunkBatches(batches, 2000, 40);
    expect(chunks.flat().map((b) => b.batch)).toEqual(batches.map((b) => b.batch));
    const overfull = chunks.filter(
      (c) => c.length > 40 || (c.length > 1 && c.reduce((s, b) => s + b.rows, 0) > 2000)
    );
    expect(overfull).toEqual([]);
  });
});
