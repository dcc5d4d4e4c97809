import type { Knex } from 'knex';
import { isoDay } from '../../../shared/time';
import { utcDay } from '../collection/visitor-hash';
import { yieldToEventLoop } from '../yield-to-event-loop';
import { contentDaily, dimensionDaily, insertSelected, type Aggregate } from './aggregates';
import { CLOSED } from './day-closing';
import { rollupIsolation } from './dialect';

/**
 * Month summaries: per key, the sums of a month's rows of a daily aggregate, in a row whose `day`
 * is the month's first day (migration 016). A range of a year reads twelve rows per key instead
 * of 365. A summary is the sum of the daily rows as they were at the versions of the month's
 * days it records (`ua_rollup_days`); it is built once every day of its month is closed, built
 * again when the rollup has added to one of them since, and dropped when retention deletes days
 * of its month. Readers use a month's summary only while it is current (`summaryCurrent`), the
 * daily rows otherwise: both give the same sums.
 */
export interface MonthSummary {
  daily: Aggregate;
  table: string;
}

export const MONTH_SUMMARIES: readonly MonthSummary[] = [
  { daily: contentDaily, table: 'ua_content_monthly' },
  { daily: dimensionDaily, table: 'ua_dimension_monthly' },
];

/** Months summarized per rollup run at most (the first runs after an upgrade build history). */
const MONTHS_PER_RUN = 3;

/** The month summary table of a daily aggregate table, if it has one. */
export const monthlyTableOf = (dailyTable: string): string | null =>
  MONTH_SUMMARIES.find((m) => m.daily.table === dailyTable)?.table ?? null;

/** The first day of `day`'s month. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;

const nextMonth = (month: string): string => {
  const [year, m] = month.split('-').map(Number);
  return isoDay(Date.UTC(year, m, 1));
};

/** The last day of `month` (its first day). */
export const lastDayOf = (month: string): string => {
  const [year, m] = month.split('-').map(Number);
  return isoDay(Date.UTC(year, m, 0));
};

/** The months (first days) from `first`'s to `last`'s, in order. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let m = monthOf(first); m <= last; m = nextMonth(m)) months.push(m);
  return months;
}

/** Whether the run of days `first`…`last` is made of whole calendar months. */
export const wholeMonths = ([first, last]: [string, string]): boolean =>
  first.endsWith('-01') && last === lastDayOf(monthOf(last));

export interface DayVersion {
  day: string;
  version: string | number;
}

/** What a summary records of the versions of its month's days. */
export const versionsText = (days: DayVersion[]): string =>
  days
    .map((d) => `${d.day}:${d.version}`)
    .sort()
    .join(',');

/**
 * Whether a summary built at `recorded` still sums its month's daily rows, given the versions of
 * the month's days in `ua_rollup_days` now: every day the rollup added to has the version the
 * summary saw. Days gone from `ua_rollup_days` (retention forgets days past `rawDays`) did not
 * change.
 */
export function summaryCurrent(recorded: string, days: DayVersion[]): boolean {
  const seen = new Set(recorded ? recorded.split(',') : []);
  return days.every((d) => seen.has(`${d.day}:${d.version}`));
}

/** Sums `month`'s daily rows into its summaries and records the versions they were read at. */
async function summarize(knex: Knex, month: string, now: number): Promise<void> {
  const last = lastDayOf(month);
  await knex.transaction(async (trx) => {
    const days = await trx('ua_rollup_days')
      .whereBetween('day', [month, last])
      .select('day', 'version');
    for (const { daily, table } of MONTH_SUMMARIES) {
      await trx(table).where('day', month).delete();
      await insertSelected(
        trx,
        daily,
        trx(daily.table)
          .whereBetween('day', [month, last])
          .select(
            trx.raw('? AS day', [month]),
            ...daily.keys,
            ...daily.sums.map((f) => trx.raw('SUM(??) AS ??', [f, f]))
          )
          .groupBy(daily.keys),
        table
      );
    }
    await trx('ua_month_summaries').where({ month }).delete();
    await trx('ua_month_summaries').insert({
      month,
      versions: versionsText(days.map((d) => ({ day: String(d.day), version: d.version }))),
      built_at: now,
    });
  }, rollupIsolation(knex));
}

/**
 * Builds the summaries of the months before `now`'s that have none or a stale one, once every
 * rolled-up day of the month is closed (until then late rows still change it): at most
 * MONTHS_PER_RUN, oldest first; `keepAlive` runs before each (the caller's job lease). Returns
 * the months summarized.
 */
export async function summarizeMonths(
  knex: Knex,
  now: number,
  keepAlive: () => Promise<void> = async () => {}
): Promise<string[]> {
  const thisMonth = monthOf(utcDay(now));
  const oldest = (
    await Promise.all(MONTH_SUMMARIES.map((m) => knex(m.daily.table).min({ day: 'day' }).first()))
  )
    .map((r) => (r?.day ? String(r.day) : null))
    .filter((d): d is string => d !== null && d < thisMonth)
    .sort()[0];
  if (!oldest) return [];
  const first = monthOf(oldest);
  const [days, summaries] = await Promise.all([
    knex('ua_rollup_days')
      .where('day', '>=', first)
      .andWhere('day', '<', thisMonth)
      .select('day', 'version', 'closed'),
    knex('ua_month_summaries').where('month', '>=', first).select('month', 'versions'),
  ]);
  const recorded = new Map(summaries.map((s) => [String(s.month), String(s.versions)]));
  const built: string[] = [];
  // The months before this one.
  for (const month of monthsBetween(first, thisMonth).slice(0, -1)) {
    if (built.length >= MONTHS_PER_RUN) break;
    const its = days
      .filter((d) => monthOf(String(d.day)) === month)
      .map((d) => ({ day: String(d.day), version: d.version, closed: Number(d.closed) }));
    if (its.some((d) => d.closed !== CLOSED)) continue;
    const had = recorded.get(month);
    if (had !== undefined && summaryCurrent(had, its)) continue;
    await keepAlive();
    await summarize(knex, month, now);
    built.push(month);
    await yieldToEventLoop();
  }
  return built;
}
