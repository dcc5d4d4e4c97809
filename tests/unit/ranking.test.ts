import { rank, rankWith } from '../../server/src/stats/ranking';

const keys = ['k'];
const fields = ['views', 'visitors'];
const score = (r: Record<string, unknown>) => Number(r.views);

describe('rankings of summed rows', () => {
  const base = rank(
    [
      { k: 'a', views: 5, visitors: 1 },
      { k: 'b', views: 9, visitors: 2 },
      { k: 'a', views: 6, visitors: 1 },
      { k: 'c', views: 1, visitors: 1 },
    ],
    keys,
    fields,
    score
  );

  it('sums rows by key and orders them best first', () => {
    expect(base.sorted).toEqual([
      { k: 'a', views: 11, visitors: 2 },
      { k: 'b', views: 9, visitors: 2 },
      { k: 'c', views: 1, visitors: 1 },
    ]);
  });

  it('adds extra rows to their keys and re-ranks, leaving the base as it was', () => {
    const before = JSON.stringify(base.sorted);
    const ranked = rankWith(
      base,
      [
        { k: 'c', views: 20, visitors: 3 },
        { k: 'd', views: 10, visitors: 1 },
        { k: 'c', views: 1, visitors: 0 },
      ],
      keys,
      fields,
      score
    );
    expect(ranked).toEqual([
      { k: 'c', views: 22, visitors: 4 },
      { k: 'a', views: 11, visitors: 2 },
      { k: 'd', views: 10, visitors: 1 },
      { k: 'b', views: 9, visitors: 2 },
    ]);
    expect(JSON.stringify(base.sorted)).toBe(before);
    expect(rankWith(base, [], keys, fields, score)).toBe(base.sorted);
  });
});
