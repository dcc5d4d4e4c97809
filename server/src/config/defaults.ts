import type { PluginConfig } from './schema';

/**
 * What the plugin does with no configuration at all. Strapi deep-merges the user's
 * `config/plugins` entry over this object, so arrays here stay empty (a merged array
 * would mix the user's items with ours index by index).
 */
export const DEFAULT_CONFIG: PluginConfig = {
  enabled: true,
  trackApiReads: true,
  respectDoNotTrack: true,
  excludePaths: [],
  excludeContentTypes: [],
  listViewColumn: true,
  sampleRate: 1,
  flush: { intervalMs: 1000, maxBatch: 1000 },
  buffer: { maxEvents: 50_000 },
  rateLimit: { perVisitorPerMinute: 120, perAddressPerMinute: null },
  allowedHostnames: [],
  rollup: { cron: '* * * * *' },
  retention: { rawDays: 30, aggregateDays: 730, cron: '17 3 * * *' },
  metrics: { enabled: false, token: null },
  system: { sampleIntervalMs: 15_000 },
  monitoring: { enabled: true, excludePaths: [] },
  uptime: { slo: 99.95 },
  privacy: { scrubPatterns: [] },
  instanceId: null,
};
