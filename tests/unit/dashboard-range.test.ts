import { formatDuration } from '../../admin/src/format-duration';
import {
  changeRatio,
  isRangePreset,
  presetRange,
  shownChange,
} from '../../admin/src/range-presets';

describe('dashboard ranges', () => {
  const now = Date.parse('2026-11-28T08:42:00Z');

  it('ends every preset today (UTC) and counts whole days', () => {
    expect(presetRange('today', now)).toEqual({ from: '2026-11-28', to: '2026-11-28' });
    expect(presetRange('7d', now)).toEqual({ from: '2026-11-22', to: '2026-11-28' });
    expect(presetRange('30d', now)).toEqual({ from: '2026-10-30', to: '2026-11-28' });
    expect(presetRange('90d', now)).toEqual({ from: '2026-08-31', to: '2026-11-28' });
    expect(presetRange('12m', now)).toEqual({ from: '2025-11-29', to: '2026-11-28' });
  });

  it('accepts only known presets from the URL', () => {
    expect(isRangePreset('30d')).toBe(true);
    expect(isRangePreset('31d')).toBe(false);
    expect(isRangePreset(null)).toBe(false);
  });

  it('has no change to show without a previous value', () => {
    expect(changeRatio(15, 10)).toBeCloseTo(0.5);
    expect(changeRatio(5, 10)).toBeCloseTo(-0.5);
    expect(changeRatio(5, 0)).toBeNull();
    expect(changeRatio(null, 3)).toBeNull();
    // As the cards show it: to the whole percent, a change that rounds to 0 % is 0.
    expect(shownChange(838, 836)).toBe(0);
    expect(shownChange(836, 838)).toBe(0);
    expect(Object.is(shownChange(836, 838), -0)).toBe(false);
    expect(shownChange(2547, 1859)).toBe(0.37);
    expect(shownChange(875, 1000)).toBe(-0.13);
    expect(shownChange(5, 0)).toBeNull();
  });

  it('formats engaged time', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3720)).toBe('1h 02m');
  });
});
