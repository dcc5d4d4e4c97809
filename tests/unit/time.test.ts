import { DAY_MS, HOUR_MS, MINUTE_MS, isCalendarDay } from '../../shared/time';

describe('lengths of time', () => {
  it('are a minute, an hour and a day in milliseconds', () => {
    expect([MINUTE_MS, HOUR_MS, DAY_MS]).toEqual([60_000, 3_600_000, 86_400_000]);
  });
});

describe('isCalendarDay', () => {
  it.each(['2026-02-28', '2024-02-29', '2000-02-29', '2026-04-30', '2026-12-31', '1970-01-01'])(
    'accepts %s',
    (day) => expect(isCalendarDay(day)).toBe(true)
  );

  // Date.parse reads the first four as days of the next month.
  it.each([
    '2026-02-29',
    '2026-02-30',
    '2026-04-31',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-1-05',
    '2026-01-05T00:00:00Z',
    '',
  ])('refuses %j', (day) => expect(isCalendarDay(day)).toBe(false));
});
