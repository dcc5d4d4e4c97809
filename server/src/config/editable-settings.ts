import { z } from 'zod';
import {
  EDITABLE_SETTINGS,
  type SettingKey,
  type SettingValues,
  type SettingsUpdate,
} from '../../../shared/contracts/settings';
import { configSchema, describeValue, valueAt, type PluginConfig } from './schema';

export type Overrides = Partial<SettingValues>;

/** A problem with one setting (key null: with the request as a whole). */
export interface SettingIssue {
  key: string | null;
  message: string;
}

const shape = configSchema.shape;

/** Each editable key's rule is the file config's own rule for it; `null` resets the key. */
const fieldRules = {
  enabled: shape.enabled,
  trackApiReads: shape.trackApiReads,
  respectDoNotTrack: shape.respectDoNotTrack,
  excludePaths: shape.excludePaths,
  excludeContentTypes: shape.excludeContentTypes,
  listViewColumn: shape.listViewColumn,
  allowedHostnames: shape.allowedHostnames,
  sampleRate: shape.sampleRate,
  'retention.rawDays': shape.retention.shape.rawDays,
  'retention.aggregateDays': shape.retention.shape.aggregateDays,
  'metrics.enabled': shape.metrics.shape.enabled,
} satisfies Record<SettingKey, z.ZodType>;

const updateSchema = z.strictObject(
  Object.fromEntries(
    EDITABLE_SETTINGS.map((key) => [key, fieldRules[key].nullable().optional()])
  ) as { [K in SettingKey]: z.ZodOptional<z.ZodNullable<(typeof fieldRules)[K]>> },
  { message: 'the body must be a JSON object of settings' }
);

export const isSettingKey = (key: string): key is SettingKey =>
  (EDITABLE_SETTINGS as readonly string[]).includes(key);

export function readSetting<K extends SettingKey>(config: PluginConfig, key: K): SettingValues[K] {
  let node: unknown = config;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return node as SettingValues[K];
}

export function pickSettings(config: PluginConfig): SettingValues {
  return Object.fromEntries(
    EDITABLE_SETTINGS.map((key) => [key, readSetting(config, key)])
  ) as unknown as SettingValues;
}

/**
 * The effective configuration: the file config with the overrides on top. Returns the file
 * config itself when nothing is overridden, so a site that never uses the settings page pays
 * nothing; otherwise copies only the objects it changes.
 */
export function applyOverrides(file: PluginConfig, overrides: Overrides): PluginConfig {
  const keys = Object.keys(overrides) as SettingKey[];
  if (!keys.length) return file;
  const config: Record<string, unknown> = { ...file };
  for (const key of keys) {
    const [head, tail] = key.split('.');
    if (tail === undefined) config[head] = overrides[key];
    else config[head] = { ...(config[head] as object), [tail]: overrides[key] };
  }
  return config as PluginConfig;
}

/** Checks a PUT body on its own: known keys, each value of the right type and range. */
export function parseUpdate(
  body: unknown
): { ok: true; update: SettingsUpdate } | { ok: false; issues: SettingIssue[] } {
  const result = updateSchema.safeParse(body);
  if (result.success) return { ok: true, update: result.data as SettingsUpdate };
  const issues = result.error.issues.flatMap((issue): SettingIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        key,
        message: `is not a setting that can be changed here (editable: ${EDITABLE_SETTINGS.join(', ')})`,
      }));
    }
    if (!issue.path.length) return [{ key: null, message: issue.message }];
    const item = issue.path.length > 1 ? ` (item ${String(issue.path[1])})` : '';
    return [
      {
        key: String(issue.path[0]),
        message: `${issue.message}${item} (got ${describeValue(valueAt(body, issue.path))})`,
      },
    ];
  });
  return { ok: false, issues };
}

/**
 * Checks the configuration that `overrides` would make, with every rule of the file config
 * (including the ones across keys), and names the editable key each problem belongs to.
 * `changed` are the keys the admin is changing now: a rule between two keys is reported on
 * the one being changed.
 */
export function checkOverrides(
  file: PluginConfig,
  overrides: Overrides,
  changed: readonly string[] = []
): SettingIssue[] {
  const merged = applyOverrides(file, overrides);
  const result = configSchema.safeParse(merged);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (path === 'metrics.token') {
      return {
        key: 'metrics.enabled',
        message:
          'can be turned on only when metrics.token (a bearer token of 16+ characters) is set in config/plugins',
      };
    }
    if (
      path === 'retention.aggregateDays' &&
      issue.code === 'custom' &&
      changed.includes('retention.rawDays') &&
      !changed.includes('retention.aggregateDays')
    ) {
      return {
        key: 'retention.rawDays',
        message: `must be at most retention.aggregateDays (${merged.retention.aggregateDays})`,
      };
    }
    const key = EDITABLE_SETTINGS.find((k) => path === k || path.startsWith(`${k}.`)) ?? null;
    const got = describeValue(valueAt(merged, issue.path));
    return { key: key ?? path, message: `${issue.message} (got ${got})` };
  });
}

/**
 * The stored overrides that still fit the file config. A key that no longer validates (say the
 * file's retention.aggregateDays was lowered under a stored retention.rawDays) is left out and
 * reported, so a bad stored value can never stop the plugin.
 */
export function usableOverrides(
  file: PluginConfig,
  stored: unknown
): { overrides: Overrides; ignored: SettingIssue[] } {
  const ignored: SettingIssue[] = [];
  const overrides: Record<string, unknown> = {};
  if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) {
    for (const [key, value] of Object.entries(stored)) {
      if (!isSettingKey(key)) {
        ignored.push({ key, message: 'is not an editable setting' });
        continue;
      }
      const parsed = fieldRules[key].safeParse(value);
      if (parsed.success) overrides[key] = parsed.data;
      else ignored.push({ key, message: `${parsed.error.issues[0].message}` });
    }
  } else if (stored !== undefined && stored !== null) {
    ignored.push({ key: null, message: 'the stored settings are not an object' });
  }
  for (let round = 0; round < EDITABLE_SETTINGS.length; round += 1) {
    const issues = checkOverrides(file, overrides as Overrides, Object.keys(overrides));
    if (!issues.length) break;
    for (const issue of issues) {
      // A problem no override explains cannot come from the (validated) file: drop them all.
      const key = issue.key && issue.key in overrides ? issue.key : Object.keys(overrides)[0];
      if (key === undefined || !(key in overrides)) continue;
      delete overrides[key];
      ignored.push({ key, message: issue.message });
    }
  }
  return { overrides: overrides as Overrides, ignored };
}
