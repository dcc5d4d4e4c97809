import { seededRandom } from '../app/src/seeded-random';

describe('seededRandom (mulberry32)', () => {
  // The demo's seeds (tests/app/src/demo-history.ts, demo-health-history.ts): its history, and the
  // figures the demo-history test reads, are the same on every run only if these stay the same.
  it.each<[number, number[]]>([
    [7, [0.011704753153026104, 0.06195825757458806, 0.97690763277933]],
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]],
    [1_601, [0.42569130193442106, 0.05718565988354385, 0.4794303623493761]],
    [1_602, [0.3948791017755866, 0.4646666175685823, 0.3258910945151001]],
  ])('starts seed %i with %j', (seed, first) => {
    const next = seededRandom(seed);
    expect([next(), next(), next()]).toEqual(first);
  });

  it('spreads 100 000 draws over [0, 1): each tenth within 3 % of 10 000', () => {
    const next = seededRandom(2026);
    const tenths = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i += 1) tenths[Math.floor(next() * 10)] += 1;
    const off = tenths.filter((n) => Math.abs(n - 10_000) > 300);
    expect(off).toEqual([]);
  });
});
