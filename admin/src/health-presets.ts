import type { HealthQuery } from '../../shared/contracts/health';
import { DAY_MS, HOUR_MS } from '../../shared/time';

/**
 * The health page's periods, ending now. Shorter than the dashboard's days: an incident is looked
 * at by the hour. The API picks the interval (minutes up to 6 h, hours up to 14 days, then days).
 */
export const HEALTH_PRESETS = ['1h', '6h', '24h', '7d', '30d'] as const;
export type HealthPreset = (typeof HEALTH_PRESETS)[number];

export const DEFAULT_HEALTH_PRESET: HealthPreset = '24h';

const SPAN_MS: Record<HealthPreset, number> = {
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
};

export function isHealthPreset(value: unknown): value is HealthPreset {
  return typeof value === 'string' && (HEALTH_PRESETS as readonly string[]).includes(value);
}

/** The query for a preset ending at `now`. */
export function healthPresetQuery(preset: HealthPreset, now = Date.now()): HealthQuery {
  return { from: new Date(now - SPAN_MS[preset]).toISOString(), to: new Date(now).toISOString() };
}
