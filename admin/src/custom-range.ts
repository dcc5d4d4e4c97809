import { DAY_MS, isCalendarDay } from '../../shared/time';

/**
 * A custom date range from the URL (`range=custom&from=2026-11-01&to=2026-11-14`): whole UTC days,
 * checked as the stats API checks them, so the dashboard says what is wrong instead of a 400.
 */
export const MAX_RANGE_DAYS = 800;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export type CustomRangeError = 'missing' | 'invalid' | 'order' | 'tooLong';

export function customRangeError(from: string | null, to: string | null): CustomRangeError | null {
  if (!from || !to) return 'missing';
  if (!isCalendarDay(from) || !isCalendarDay(to)) return 'invalid';
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (a > b) return 'order';
  if ((b - a) / DAY_MS + 1 > MAX_RANGE_DAYS) return 'tooLong';
  return null;
}

/** The calendar day a date picker shows (its local date) as an ISO day, and back. */
export const pickerDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

export const pickerDate = (day: string | null) => {
  if (!day || !ISO_DAY.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d);
};
