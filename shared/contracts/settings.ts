/**
 * The settings an admin can change at runtime (Settings → Usage Analytics), stored in the
 * database on top of config/plugins. Nested config keys are named by their dotted path.
 */
export const EDITABLE_SETTINGS = [
  'enabled',
  'trackApiReads',
  'respectDoNotTrack',
  'excludePaths',
  'excludeContentTypes',
  'listViewColumn',
  'allowedHostnames',
  'sampleRate',
  'retention.rawDays',
  'retention.aggregateDays',
  'metrics.enabled',
] as const;

export type SettingKey = (typeof EDITABLE_SETTINGS)[number];

export interface SettingValues {
  enabled: boolean;
  trackApiReads: boolean;
  respectDoNotTrack: boolean;
  excludePaths: string[];
  excludeContentTypes: string[];
  /** The "Views (30 d)" column in the Content Manager's list views. */
  listViewColumn: boolean;
  allowedHostnames: string[];
  sampleRate: number;
  'retention.rawDays': number;
  'retention.aggregateDays': number;
  'metrics.enabled': boolean;
}

/** The keys to change; `null` puts a key back to its config/plugins value. */
export type SettingsUpdate = { [K in SettingKey]?: SettingValues[K] | null };

/**
 * PUT body: the keys to change, and the `version` of the settings they were read at (from GET).
 * If the settings were saved since, nothing is written and the answer is a 409.
 */
export type SettingsPutBody = SettingsUpdate & { version: number };

/** A configuration key that only config/plugins sets, and which needs a restart. */
export interface FileOnlySetting {
  key: string;
  /** The configured value; secrets are reported as set or not, never shown. */
  value: string | number | boolean | string[] | null;
  secret?: boolean;
}

/** GET and PUT /usage-analytics/settings. */
export interface SettingsResponse {
  data: {
    /** What the plugin uses now: config/plugins with the stored overrides on top. */
    effective: SettingValues;
    /** What config/plugins (or the defaults) say. */
    file: SettingValues;
    /** Keys whose stored value replaces the config/plugins value. */
    overridden: SettingKey[];
    /** Needed to turn metrics on (it is a secret, set in config/plugins only). */
    metricsTokenSet: boolean;
    fileOnly: FileOnlySetting[];
    /** How often other instances sharing the database re-read the stored settings. */
    reloadIntervalSeconds: number;
    updatedAt: string | null;
    /** Incremented by every save; a PUT sends the version it was read at. */
    version: number;
  };
}

/** PUT's 400 answer, in Strapi's error format, with one message per offending key. */
export interface SettingsErrorResponse {
  data: null;
  error: {
    status: 400;
    name: 'ValidationError';
    message: string;
    details: { errors: Array<{ path: string[]; message: string }> };
  };
}

/** PUT's 409 answer: the settings were saved meanwhile; `details.current` is what is stored now. */
export interface SettingsConflictResponse {
  data: null;
  error: {
    status: 409;
    name: 'ConflictError';
    message: string;
    details: { current: SettingsResponse['data'] };
  };
}
