import { z } from 'zod';
import { PUBLIC_PERIODS, type PublicPeriod } from '../../../shared/contracts/public-stats';
import { contentTypeUid, documentId, locale } from '../collection/entry-ref';
import { DAY_MS, isoDay } from '../../../shared/time';
import type { Range } from './stats-query';

export const MAX_POPULAR = 50;
const DEFAULT_POPULAR = 10;

const period = z.enum(PUBLIC_PERIODS, { message: 'must be 7d, 30d or 90d' }).default('7d');

/** Query of GET /popular. */
export const popularQuerySchema = z.strictObject({
  contentType: contentTypeUid.optional(),
  period,
  locale: locale.optional(),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: `must be between 1 and ${MAX_POPULAR}` })
    .max(MAX_POPULAR, { message: `must be between 1 and ${MAX_POPULAR}` })
    .default(DEFAULT_POPULAR),
});
export type PopularQuery = z.infer<typeof popularQuerySchema>;

/** Path and query of GET /views/:contentType/:documentId. */
export const entryViewsSchema = z.strictObject({
  contentType: contentTypeUid,
  documentId,
  period,
  locale: locale.optional(),
});
export type EntryViewsQuery = z.infer<typeof entryViewsSchema>;

/** The last `period` whole UTC days, today included. */
export function periodRange(p: PublicPeriod, now = Date.now()): Range {
  const days = Number.parseInt(p, 10);
  const to = now - (now % DAY_MS) + DAY_MS;
  return { from: to - days * DAY_MS, to, interval: 'day', days };
}

export const periodMeta = (p: PublicPeriod, range: Range) => ({
  period: p,
  from: isoDay(range.from),
  to: isoDay(range.to - DAY_MS),
});
