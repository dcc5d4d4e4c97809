import { DAY_MS, isoDay } from '../../shared/time';

/**
 * The dashboard's date ranges. A range is whole UTC days, as the stats API counts them, and lives
 * in the URL as a preset name so a shared link shows the same relative period.
 */
export const RANGE_PRESETS = ['today', '7d', '30d', '90d', '12m'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const DEFAULT_PRESET: RangePreset = '7d';

const DAYS: Record<RangePreset, number> = { today: 1, '7d': 7, '30d': 30, '90d': 90, '12m': 365 };

export function isRangePreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && (RANGE_PRESETS as readonly string[]).includes(value);
}

/** `from` and `to` (inclusive ISO days) of a preset ending today (UTC). */
export function presetRange(preset: RangePreset, now = Date.now()): { from: string; to: string } {
  const today = now - (now % DAY_MS);
  return { from: isoDay(today - (DAYS[preset] - 1) * DAY_MS), to: isoDay(today) };
}

/** Relative change from `previous` to `current`, or null when there is nothing to compare. */
export function changeRatio(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

/**
 * The change as the cards show it, to the whole percent (0.004 is 0, not a rise): what its
 * colour follows, so that a change shown as 0 % is never coloured as a rise or a fall.
 */
export function shownChange(current: number | null, previous: number | null): number | null {
  const ratio = changeRatio(current, previous);
  // Halves away from zero, as Intl's percent format rounds them.
  return ratio === null ? null : (Math.sign(ratio) * Math.round(Math.abs(ratio) * 100)) / 100 || 0;
}
