import { dayParts } from '../../server/src/stats/day-parts';
import { DAY_MS, isoDay } from '../../shared/time';

/** Every day from `from` to `to`, inclusive (UTC, YYYY-MM-DD). */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) {
    out.push(isoDay(t));
  }
  return out;
}

describe('dayParts', () => {
  it('keeps today apart from the days before it within one month', () => {
    expect(dayParts(days('2026-11-01', '2026-11-28'), '2026-11-28')).toEqual([
      ['2026-11-01', '2026-11-27'],
      ['2026-11-28', '2026-11-28'],
    ]);
  });

  it('splits a year up to today into the first month, the months between, this month and today', () => {
    expect(dayParts(days('2025-11-29', '2026-11-28'), '2026-11-28')).toEqual([
      ['2025-11-29', '2025-11-30'],
      ['2025-12-01', '2026-10-31'],
      ['2026-11-01', '2026-11-27'],
      ['2026-11-28', '2026-11-28'],
    ]);
  });

  it('changes only the first and the last closed part when the range moves on a day', () => {
    const before = dayParts(days('2025-11-29', '2026-11-28'), '2026-11-28');
    const after = dayParts(days('2025-11-30', '2026-11-29'), '2026-11-29');
    expect(after[1]).toEqual(before[1]);
    expect(after[0]).toEqual(['2025-11-30', '2025-11-30']);
    expect(after[2]).toEqual(['2026-11-01', '2026-11-28']);
  });

  it('has no month between two neighbouring months, and no today in a past range', () => {
    expect(dayParts(days('2026-09-20', '2026-10-10'), '2026-11-28')).toEqual([
      ['2026-09-20', '2026-09-30'],
      ['2026-10-01', '2026-10-10'],
    ]);
  });

  it('reads a range from today on as one part', () => {
    expect(dayParts(days('2026-11-28', '2026-11-30'), '2026-11-28')).toEqual([
      ['2026-11-28', '2026-11-30'],
    ]);
  });
});
