import { DAY_MS, isoDay } from '../../../shared/time';
import { dayBounds, daysBetween } from '../rollup/day-range';
import { lastDayOf, monthOf, monthsBetween, wholeMonths } from '../rollup/month-summaries';
import type { DayPart } from './day-parts';
import { sumBy, type Row } from './rows';

/** The key columns and the summed columns of a shape that sums over days. */
export interface Summed {
  keys: string[];
  fields: string[];
}

/**
 * How a part of a range (stats/day-parts.ts) of a daily table with month summaries
 * (rollup/month-summaries.ts) is read: its days; its whole months, from their summaries; or, for
 * a part inside one month, the month's summary less the month's days outside the part, when
 * those are fewer than the part's own (the first month of "the last 365 days").
 */
export type MonthPlan =
  | { read: 'days' }
  | { read: 'months' }
  | { read: 'month less days'; month: string; outside: DayPart[] };

const DAYS: MonthPlan = { read: 'days' };
const shifted = (day: string, days: number) => isoDay(dayBounds(day)[0] + days * DAY_MS);
const length = ([first, last]: DayPart) =>
  daysBetween(dayBounds(first)[0], dayBounds(last)[1]).length;

/** The plan for `part`, given which months have a current summary. */
export function monthPlan(part: DayPart, current: (month: string) => boolean): MonthPlan {
  if (wholeMonths(part)) {
    return monthsBetween(part[0], part[1]).every(current) ? { read: 'months' } : DAYS;
  }
  const month = monthOf(part[0]);
  if (monthOf(part[1]) !== month || !current(month)) return DAYS;
  const last = lastDayOf(month);
  const outside: DayPart[] = [];
  if (part[0] > month) outside.push([month, shifted(part[0], -1)]);
  if (part[1] < last) outside.push([shifted(part[1], 1), last]);
  const outsideDays = outside.reduce((sum, p) => sum + length(p), 0);
  return outsideDays < length(part) ? { read: 'month less days', month, outside } : DAYS;
}

/** `whole`'s rows less `less`'s, by key; keys left with nothing are dropped. */
export function difference(whole: Row[], less: Row[], { keys, fields }: Summed): Row[] {
  const negated = less.map((r) => ({
    ...r,
    ...Object.fromEntries(fields.map((f) => [f, -Number(r[f] ?? 0)])),
  }));
  return sumBy([...whole, ...negated], keys, fields).filter((r) => fields.some((f) => r[f] !== 0));
}
