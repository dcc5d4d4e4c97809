import { z } from 'zod';
import { CONTENT_SORTS } from '../../../shared/contracts/insights';
import { rangeSchema } from './stats-query';

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** The content table's query: the range and filters, plus sort order and page. */
export const contentTableSchema = rangeSchema.extend({
  sort: z.enum(CONTENT_SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: integer(1, 100).optional(),
  offset: integer(0, 1_000_000).optional(),
});

/** The CSV export's query: the range and filters, plus the content table's order. */
export const exportSchema = rangeSchema.extend({
  sort: z.enum(CONTENT_SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});
