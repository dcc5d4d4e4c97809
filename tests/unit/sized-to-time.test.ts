import { nextSize } from '../../server/src/sized-to-time';

const CHUNKS = { targetMs: 15, min: 100, max: 2_000 };

describe('the size of the next piece of work', () => {
  it('doubles after a piece that took under half the target, up to the maximum', () => {
    expect(nextSize(500, 7, CHUNKS)).toBe(1_000);
    expect(nextSize(1_500, 1, CHUNKS)).toBe(2_000);
  });

  it('halves after a piece that took over twice the target, down to the minimum', () => {
    expect(nextSize(2_000, 31, CHUNKS)).toBe(1_000);
    expect(nextSize(150, 200, CHUNKS)).toBe(100);
  });

  it('keeps a size whose pieces take about the target, brought within the bounds', () => {
    expect(nextSize(800, 15, CHUNKS)).toBe(800);
    expect(nextSize(5_000, 15, CHUNKS)).toBe(2_000);
    expect(nextSize(10, 15, CHUNKS)).toBe(100);
  });
});
