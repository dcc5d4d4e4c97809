/**
 * Splits `items`, in order, into chunks of at most `maxWeight` together (by `weight`) and at most
 * `maxCount` items; an item heavier than `maxWeight` is a chunk of its own. Rollup chunks of
 * pending batches (by rows) and compaction steps of key slices (by rows) are cut this way.
 */
export function weightedChunks<T>(
  items: readonly T[],
  weight: (item: T) => number,
  maxWeight: number,
  maxCount: number
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length && (total + w > maxWeight || current.length >= maxCount)) {
      chunks.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += w;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
