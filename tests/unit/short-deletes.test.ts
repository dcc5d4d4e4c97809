import { MAX_ROWS, MIN_ROWS, TARGET_MS, nextLimit } from '../../server/src/retention/short-deletes';

describe('the row count of the next short DELETE', () => {
  it('doubles while statements take under half the target, up to the maximum', () => {
    expect(nextLimit(500, TARGET_MS / 2 - 1)).toBe(1_000);
    expect(nextLimit(MAX_ROWS, 0)).toBe(MAX_ROWS);
    expect(nextLimit(3_000, 1)).toBe(MAX_ROWS);
  });

  it('halves while statements take over twice the target, down to the minimum', () => {
    expect(nextLimit(1_000, TARGET_MS * 2 + 1)).toBe(500);
    expect(nextLimit(MIN_ROWS, 1_000)).toBe(MIN_ROWS);
    expect(nextLimit(150, 1_000)).toBe(MIN_ROWS);
  });

  it('keeps a count whose statements take about the target', () => {
    for (const ms of [TARGET_MS / 2, TARGET_MS, TARGET_MS * 2])
      expect(nextLimit(800, ms)).toBe(800);
  });
});
