import fc from 'fast-check';
import {
  LogHistogram,
  MIN_VALUE_MS,
  RELATIVE_ACCURACY,
  bucketOf,
  bucketValue,
} from '../../server/src/monitoring/log-histogram';
import { mergeStats, type StatsRow } from '../../server/src/monitoring/merge-stats';
import { seededRandom } from '../app/src/seeded-random';
import { HOUR_MS, MINUTE_MS } from '../../shared/time';

/** The exact q-quantile by the histogram's rank rule: the value of rank ⌊q·(n−1)⌋. */
const exact = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))];
const QUANTILES = [0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

const DISTRIBUTIONS: Record<string, (r: () => number) => number> = {
  // Latencies are roughly log-normal: median ~20 ms with a long tail.
  lognormal: (r) =>
    Math.exp(3 + 1.2 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())),
  uniform: (r) => 1 + 999 * r(),
  // Shifted so no value lies below the 1 µs floor, where all values share one bucket.
  exponential: (r) => 0.01 - 50 * Math.log(1 - r()),
  // Bimodal: cache hits at ~2 ms, misses at ~300 ms.
  bimodal: (r) => (r() < 0.8 ? 1.5 + r() : 250 + 100 * r()),
};

describe('log-scale histogram', () => {
  it.each(Object.keys(DISTRIBUTIONS))(
    'reads every percentile of 100 000 %s values within 1 %% of the exact one',
    (name) => {
      const next = seededRandom(42);
      const values = Array.from({ length: 100_000 }, () => DISTRIBUTIONS[name](next));
      const h = new LogHistogram();
      for (const v of values) h.record(v);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of QUANTILES) {
        const want = exact(sorted, q);
        const got = h.quantile(q)!;
        expect(Math.abs(got - want) / want).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-9);
      }
      expect(h.total).toBe(values.length);
    }
  );

  it('keeps the relative error bound for any set of values (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 600_000, noNaN: true }), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const h = new LogHistogram();
          for (const v of values) h.record(v);
          const want = exact(
            [...values].sort((a, b) => a - b),
            q
          );
          const got = h.quantile(q)!;
          return Math.abs(got - want) / want <= RELATIVE_ACCURACY + 1e-9;
        }
      ),
      { numRuns: 500 }
    );
  });

  it('puts each value in a bucket whose value is within 1 % of it', () => {
    fc.assert(
      fc.property(fc.double({ min: MIN_VALUE_MS * 1.0001, max: 3.6e6, noNaN: true }), (v) => {
        const b = bucketValue(bucketOf(v));
        return Math.abs(b - v) / v <= RELATIVE_ACCURACY + 1e-9;
      })
    );
    expect(bucketOf(0)).toBe(bucketOf(MIN_VALUE_MS));
    expect(bucketOf(-5)).toBe(bucketOf(MIN_VALUE_MS));
  });

  it('merges exactly: merging histograms equals recording all values in one (property)', () => {
    const values = fc.array(fc.double({ min: 0.001, max: 100_000, noNaN: true }), {
      maxLength: 200,
    });
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 6 }), (parts) => {
        const whole = new LogHistogram();
        const merged = new LogHistogram();
        for (const part of parts) {
          const h = new LogHistogram();
          for (const v of part) {
            h.record(v);
            whole.record(v);
          }
          // Through the stored text, as the rollup does.
          merged.merge(LogHistogram.parse(JSON.stringify(h.toJSON())));
        }
        expect(merged.toJSON()).toEqual(whole.toJSON());
        expect(merged.total).toBe(whole.total);
        for (const q of QUANTILES) expect(merged.quantile(q)).toBe(whole.quantile(q));
      })
    );
  });

  it('clamps to the exact min and max when given, and is empty-safe', () => {
    const h = new LogHistogram();
    expect(h.quantile(0.5)).toBeNull();
    h.record(10);
    h.record(20);
    expect(h.quantile(0, 10, 20)).toBe(10);
    expect(h.quantile(1, 10, 20)).toBe(20);
    expect(LogHistogram.parse('not json').total).toBe(0);
    expect(LogHistogram.parse('{"x":3,"5":-1,"7":2}').toJSON()).toEqual({ 7: 2 });
  });
});

describe('mergeStats', () => {
  it('adds counts and sums, keeps extremes, and merges histograms exactly', () => {
    const next = seededRandom(7);
    const rows: StatsRow[] = [];
    const all = new Map<string, number[]>();
    for (let minute = 0; minute < 120; minute += 1) {
      for (const route of ['/a', '/b']) {
        const values = Array.from({ length: 1 + Math.floor(next() * 20) }, () => 1 + next() * 500);
        const h = new LogHistogram();
        values.forEach((v) => h.record(v));
        rows.push({
          t: minute * MINUTE_MS,
          method: 'GET',
          route,
          status_class: 2,
          count: values.length,
          error_count: 0,
          sum_ms: values.reduce((a, b) => a + b, 0),
          min_ms: Math.min(...values),
          max_ms: Math.max(...values),
          histogram: JSON.stringify(h.toJSON()),
        });
        const hour = Math.floor(minute / 60) * HOUR_MS;
        all.set(`${hour} ${route}`, [...(all.get(`${hour} ${route}`) ?? []), ...values]);
      }
    }
    const hourly = mergeStats(
      rows,
      (r) => `${r.t - (r.t % HOUR_MS)} ${r.route}`,
      (r) => r.t - (r.t % HOUR_MS)
    );
    expect(hourly).toHaveLength(4);
    for (const row of hourly) {
      const values = all.get(`${row.t} ${row.route}`)!;
      const h = new LogHistogram();
      values.forEach((v) => h.record(v));
      expect(row.count).toBe(values.length);
      expect(row.sum_ms).toBeCloseTo(
        values.reduce((a, b) => a + b, 0),
        6
      );
      expect(row.min_ms).toBe(Math.min(...values));
      expect(row.max_ms).toBe(Math.max(...values));
      expect(row.histogram.toJSON()).toEqual(h.toJSON());
    }
  });
});
