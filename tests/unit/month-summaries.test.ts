import {
  lastDayOf,
  monthOf,
  monthsBetween,
  summaryCurrent,
  versionsText,
  wholeMonths,
} from '../../server/src/rollup/month-summaries';
import { difference, monthPlan } from '../../server/src/stats/month-reads';

describe('month summaries: calendar months and the versions a summary was built at', () => {
  it('names a day’s month by its first day and knows each month’s last day', () => {
    expect(monthOf('2026-02-17')).toBe('2026-02-01');
    expect(lastDayOf('2026-02-01')).toBe('2026-02-28');
    expect(lastDayOf('2028-02-01')).toBe('2028-02-29');
    expect(lastDayOf('2026-12-01')).toBe('2026-12-31');
    expect(lastDayOf('2026-04-01')).toBe('2026-04-30');
  });

  it('lists the months of a run of days across a year’s end', () => {
    expect(monthsBetween('2025-11-20', '2026-02-01')).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
    ]);
    expect(monthsBetween('2026-03-05', '2026-03-09')).toEqual(['2026-03-01']);
  });

  it('tells whole months from runs that start or end inside one', () => {
    expect(wholeMonths(['2026-01-01', '2026-03-31'])).toBe(true);
    expect(wholeMonths(['2026-02-01', '2026-02-28'])).toBe(true);
    expect(wholeMonths(['2026-01-02', '2026-03-31'])).toBe(false);
    expect(wholeMonths(['2026-01-01', '2026-03-30'])).toBe(false);
  });

  it('is current while every day the rollup added to has the version the summary saw', () => {
    const built = versionsText([
      { day: '2026-03-18', version: 2 },
      { day: '2026-03-03', version: '1' },
    ]);
    expect(built).toBe('2026-03-03:1,2026-03-18:2');
    expect(
      summaryCurrent(built, [
        { day: '2026-03-03', version: 1 },
        { day: '2026-03-18', version: '2' },
      ])
    ).toBe(true);
    // Retention forgot a day's version row: that day did not change.
    expect(summaryCurrent(built, [{ day: '2026-03-18', version: 2 }])).toBe(true);
    // The rollup added to a day again, or to a day the summary had no rows of.
    expect(summaryCurrent(built, [{ day: '2026-03-18', version: 3 }])).toBe(false);
    expect(summaryCurrent(built, [{ day: '2026-03-20', version: 1 }])).toBe(false);
    expect(summaryCurrent('', [])).toBe(true);
  });
});

describe('month reads: which rows a part of a range is read from', () => {
  const all = () => true;
  it('reads whole months from their summaries only when every one is current', () => {
    expect(monthPlan(['2026-01-01', '2026-03-31'], all)).toEqual({ read: 'months' });
    expect(monthPlan(['2026-01-01', '2026-03-31'], (m) => m !== '2026-02-01')).toEqual({
      read: 'days',
    });
  });

  it('reads a month less its days outside the part when those are fewer', () => {
    // 23 days of December inside, 8 outside.
    expect(monthPlan(['2025-12-09', '2025-12-31'], all)).toEqual({
      read: 'month less days',
      month: '2025-12-01',
      outside: [['2025-12-01', '2025-12-08']],
    });
    expect(monthPlan(['2026-02-02', '2026-02-27'], all)).toEqual({
      read: 'month less days',
      month: '2026-02-01',
      outside: [
        ['2026-02-01', '2026-02-01'],
        ['2026-02-28', '2026-02-28'],
      ],
    });
    // 7 days inside, 24 outside; or no current summary: the days themselves.
    expect(monthPlan(['2026-12-01', '2026-12-07'], all)).toEqual({ read: 'days' });
    expect(monthPlan(['2025-12-09', '2025-12-31'], () => false)).toEqual({ read: 'days' });
    // Across two months but not whole ones.
    expect(monthPlan(['2026-01-05', '2026-02-28'], all)).toEqual({ read: 'days' });
  });

  it('subtracts sums by key and drops the keys nothing is left of', () => {
    const whole = [
      { entry_id: 1, views: '10', visitors: 4 },
      { entry_id: 2, views: 3, visitors: 1 },
      { entry_id: 3, views: 5, visitors: 2 },
    ];
    const outside = [
      { entry_id: 1, views: 4, visitors: '1' },
      { entry_id: 2, views: 3, visitors: 1 },
    ];
    expect(
      difference(whole, outside, { keys: ['entry_id'], fields: ['views', 'visitors'] })
    ).toEqual([
      { entry_id: 1, views: 6, visitors: 3 },
      { entry_id: 3, views: 5, visitors: 2 },
    ]);
    expect(difference([{ views: 7 }], [{ views: 7 }], { keys: [], fields: ['views'] })).toEqual([]);
  });
});
