import { z } from 'zod';
import type { Interval } from '../../../shared/contracts/stats';
import { contentTypeUid, documentId, locale } from '../collection/entry-ref';
import { DAY_MS, isCalendarDay } from '../../../shared/time';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, {
    message: 'must be an ISO date such as 2026-11-28',
    abort: true,
  })
  .refine((v) => isCalendarDay(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)), {
    error: (issue) => `${issue.input} is not a real date`,
  });

export const rangeSchema = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  interval: z.enum(['hour', 'day']).optional(),
  contentType: contentTypeUid.optional(),
  locale: locale.optional(),
});

export interface Range {
  from: number;
  to: number;
  interval: Interval;
  days: number;
}

const MAX_DAYS = 800;
const MAX_HOURLY_DAYS = 31;

/** Whole UTC days from `from` to `to` (inclusive), default the last 7 days. */
export function resolveRange(query: z.infer<typeof rangeSchema>, now = Date.now()): Range | string {
  const toDay = query.to ? Date.parse(query.to) : now;
  const to = toDay - (toDay % DAY_MS) + DAY_MS;
  const fromDay = query.from ? Date.parse(query.from) : to - 7 * DAY_MS;
  const from = fromDay - (fromDay % DAY_MS);
  if (from >= to) return 'from must be before to';
  const days = (to - from) / DAY_MS;
  if (days > MAX_DAYS) return `the range may span at most ${MAX_DAYS} days`;
  const interval = query.interval ?? (days <= 2 ? 'hour' : 'day');
  if (interval === 'hour' && days > MAX_HOURLY_DAYS) {
    return `interval=hour is available for ranges of at most ${MAX_HOURLY_DAYS} days`;
  }
  return { from, to, interval, days };
}

export const entryParamsSchema = z.strictObject({ contentType: contentTypeUid, documentId });
export { locale as localeSchema };
