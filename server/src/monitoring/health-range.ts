import { z } from 'zod';
import type { HealthInterval } from '../../../shared/contracts/health';
import { DAY_MS, HOUR_MS, MINUTE_MS, isCalendarDay } from '../../../shared/time';

export const INTERVAL_MS: Record<HealthInterval, number> = {
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
};
const MAX_BUCKETS = 1_500;
const MAX_RANGE_MS = 800 * DAY_MS;

const time = z
  .string()
  .max(40)
  .refine((v) => parseTime(v) !== null, {
    message: 'must be an ISO date-time or epoch milliseconds',
  });

export const healthQuerySchema = z.strictObject({
  from: time.optional(),
  to: time.optional(),
  interval: z.enum(['minute', 'hour', 'day']).optional(),
});

export interface HealthRange {
  from: number;
  to: number;
  interval: HealthInterval;
  step: number;
  /** The range as asked, before alignment (uptime is measured over exactly this). */
  asked: { from: number; to: number };
}

function parseTime(value: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !isCalendarDay(value.slice(0, 10))) return null;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** The range asked for, aligned to its interval, or why it cannot be served. */
export function resolveHealthRange(
  query: z.infer<typeof healthQuerySchema>,
  now = Date.now()
): HealthRange | string {
  const toRaw = query.to ? parseTime(query.to)! : now;
  const fromRaw = query.from ? parseTime(query.from)! : toRaw - DAY_MS;
  if (fromRaw >= toRaw) return 'from must be before to';
  if (toRaw - fromRaw > MAX_RANGE_MS) return 'the range may span at most 800 days';
  const span = toRaw - fromRaw;
  const interval: HealthInterval =
    query.interval ?? (span <= 6 * HOUR_MS ? 'minute' : span <= 14 * DAY_MS ? 'hour' : 'day');
  const step = INTERVAL_MS[interval];
  const from = fromRaw - (fromRaw % step);
  const to = toRaw % step ? toRaw - (toRaw % step) + step : toRaw;
  if ((to - from) / step > MAX_BUCKETS) {
    return `interval=${interval} allows at most ${MAX_BUCKETS} points; use a shorter range or a longer interval`;
  }
  return { from, to, interval, step, asked: { from: fromRaw, to: toRaw } };
}
