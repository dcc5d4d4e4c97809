import { rawAndStateTables } from './001-raw-and-state-tables';
import { aggregateTables } from './002-aggregate-tables';
import { incrementalRollups } from './003-incremental-rollups';
import { monitoringTables } from './004-monitoring-tables';
import { rollupDayVersions } from './005-rollup-day-versions';
import { visitorSessionsFillfactor } from './006-visitor-sessions-fillfactor';
import { closedDays } from './007-closed-days';
import { leanRawIndexes } from './008-lean-raw-indexes';
import { visitorsFromRawRows } from './009-visitors-from-raw-rows';
import { shortVisitorHashes } from './010-short-visitor-hashes';
import { sessionStates } from './011-session-states';
import { entryDictionary } from './012-entry-dictionary';
import { dropUnusedSettingsTable } from './013-drop-unused-settings-table';
import { contentAggregatesByEntry } from './014-content-aggregates-by-entry';
import { visitorEntryIndex } from './015-visitor-entry-index';
import { monthSummaries } from './016-month-summaries';
import type { Migration } from './types';

export type { Migration, SchemaBuilderFactory } from './types';

/** Every migration, oldest first. Append new ones; never edit or reorder shipped ones. */
export const MIGRATIONS: readonly Migration[] = [
  rawAndStateTables,
  aggregateTables,
  incrementalRollups,
  monitoringTables,
  rollupDayVersions,
  visitorSessionsFillfactor,
  closedDays,
  leanRawIndexes,
  visitorsFromRawRows,
  shortVisitorHashes,
  sessionStates,
  entryDictionary,
  dropUnusedSettingsTable,
  contentAggregatesByEntry,
  visitorEntryIndex,
  monthSummaries,
];

/** Tables the plugin owns, for tests and diagnostics. */
export const PLUGIN_TABLES = [
  'ua_events',
  'ua_entries',
  'ua_editorial',
  'ua_request_stats',
  'ua_system_samples',
  'ua_heartbeats',
  'ua_jobs',
  'ua_salts',
  'ua_pending_batches',
  'ua_visitor_sessions',
  'ua_rollup_days',
  'ua_site_daily',
  'ua_site_hourly',
  'ua_content_daily',
  'ua_content_hourly',
  'ua_dimension_daily',
  'ua_content_monthly',
  'ua_dimension_monthly',
  'ua_month_summaries',
  'ua_event_daily',
  'ua_editorial_daily',
  'ua_list_reads_daily',
  'ua_request_stats_hourly',
  'ua_request_stats_daily',
  'ua_system_hourly',
] as const;

/**
 * Tables an earlier migration creates and a later one drops: a reset that replays every migration
 * (tests, benches) drops these too, in case a run stopped half way.
 */
export const RETIRED_TABLES = ['ua_dirty_days', 'ua_uniques', 'ua_settings'] as const;
