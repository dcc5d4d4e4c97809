import { rawAndStateTables } from './001-raw-and-state-tables';
import type { Migration } from './types';

export type { Migration, SchemaBuilderFactory } from './types';

/** Every migration, oldest first. Append new ones; never edit or reorder shipped ones. */
export const MIGRATIONS: readonly Migration[] = [rawAndStateTables];

/** Tables the plugin owns, for tests and diagnostics. */
export const PLUGIN_TABLES = [
  'ua_events',
  'ua_editorial',
  'ua_request_stats',
  'ua_system_samples',
  'ua_heartbeats',
  'ua_jobs',
  'ua_salts',
  'ua_settings',
] as const;
