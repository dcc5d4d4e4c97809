import { DAY_MS, isoDay } from '../../../shared/time';

/** [start, end) of a UTC day given as YYYY-MM-DD, in epoch ms. */
export function dayBounds(day: string): [number, number] {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  return [start, start + DAY_MS];
}

/** Every UTC day from the one containing `from` to the one containing `to - 1`. */
export function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = from - (from % DAY_MS); t < to; t += DAY_MS) days.push(isoDay(t));
  return days;
}
