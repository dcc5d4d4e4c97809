/**
 * A seeded generator of numbers in [0, 1) (mulberry32): the same sequence for the same seed, so a
 * demo database, generated test data and benchmark data are the same on every run. The one copy:
 * the demo imports it here, the tests from here, the benchmarks load it from source
 * (bench/lib/typescript-source.cjs), so it imports nothing.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
