/** How long one piece of work (a statement, a rollup chunk) should take, and its size bounds. */
export interface TimeTarget {
  targetMs: number;
  min: number;
  max: number;
}

/**
 * The size of the next piece of work: doubled while pieces finish in under half the target,
 * halved while they take over twice the target, kept between the bounds.
 */
export function nextSize(size: number, elapsedMs: number, { targetMs, min, max }: TimeTarget) {
  if (elapsedMs < targetMs / 2) return Math.min(max, size * 2);
  if (elapsedMs > targetMs * 2) return Math.max(min, Math.floor(size / 2));
  return Math.min(max, Math.max(min, size));
}
