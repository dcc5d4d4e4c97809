import {
  lastDayOf,
  monthOf,
  monthsBetween,
  summaryCurrent,
  versionsText,
  wholeMonths,
} from '../../server/src/rollup/month-summaries';

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
