import { DayRangeCache } from '../../server/src/stats/day-range-cache';

const rows = (count: number, tag = 'r') =>
  Array.from({ length: count }, (_, i) => ({ key: `${tag}${i}` }));

describe('DayRangeCache', () => {
  it('answers from memory while the version stands, and recomputes when it changes', async () => {
    const cache = new DayRangeCache(100);
    let computed = 0;
    const compute = async () => {
      computed += 1;
      return rows(3, `v${computed}-`);
    };
    const first = await cache.get('k', 'v1', compute);
    expect(await cache.get('k', 'v1', compute)).toBe(first);
    expect(computed).toBe(1);
    const second = await cache.get('k', 'v2', compute);
    expect(second).not.toBe(first);
    expect(second[0]).toEqual({ key: 'v2-0' });
    expect(computed).toBe(2);
    expect(cache.size).toBe(3);
  });

  it('shares one computation between concurrent readers', async () => {
    const cache = new DayRangeCache(100);
    let computed = 0;
    const compute = async () => {
      computed += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return rows(2);
    };
    const [a, b] = await Promise.all([cache.get('k', 'v', compute), cache.get('k', 'v', compute)]);
    expect(a).toBe(b);
    expect(computed).toBe(1);
  });

  it('keeps no failed computation', async () => {
    const cache = new DayRangeCache(100);
    await expect(
      cache.get('k', 'v', async () => {
        throw new Error('database down');
      })
    ).rejects.toThrow('database down');
    expect(await cache.get('k', 'v', async () => rows(1))).toEqual(rows(1));
  });

  it('holds at most maxRows rows, dropping the least recently used first', async () => {
    const cache = new DayRangeCache(10);
    await cache.get('a', 'v', async () => rows(4, 'a'));
    await cache.get('b', 'v', async () => rows(4, 'b'));
    await cache.get('a', 'v', async () => rows(4, 'x')); // a is now the most recently used
    await cache.get('c', 'v', async () => rows(4, 'c')); // 12 rows: b goes
    expect(cache.size).toBe(8);
    expect((await cache.get('a', 'v', async () => rows(4, 'y')))[0]).toEqual({ key: 'a0' });
    expect((await cache.get('b', 'v', async () => rows(4, 'z')))[0]).toEqual({ key: 'z0' });
    // A result its caller marks not worth keeping is answered, not kept.
    const unkept = await cache.get(
      'u',
      'v',
      async () => rows(2),
      () => false
    );
    expect(unkept).toHaveLength(2);
    expect(cache.size).toBe(8);
    // A result larger than the whole budget is answered, not kept.
    const big = await cache.get('big', 'v', async () => rows(11));
    expect(big).toHaveLength(11);
    expect(cache.size).toBeLessThanOrEqual(10);
  });
});
