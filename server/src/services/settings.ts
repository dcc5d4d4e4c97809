import type { Core } from '@strapi/strapi';
import type {
  FileOnlySetting,
  SettingKey,
  SettingsResponse,
  SettingsUpdate,
} from '../../../shared/contracts/settings';
import type { PluginConfig } from '../config';
import {
  applyOverrides,
  checkOverrides,
  parseUpdate,
  pickSettings,
  readSetting,
  usableOverrides,
  type Overrides,
  type SettingIssue,
} from '../config/editable-settings';
import { describeValue } from '../config/schema';
import { perAddressLimit } from '../collection/rate-limiter';
import { createStoredSettings, type StoredSettings } from '../config/stored-settings';
import { servicesUsed } from '../get-service';

/** How often every instance re-reads the stored settings, so a change made on one reaches all. */
export const SETTINGS_RELOAD_MS = 10_000;

export interface AdminUser {
  id?: number | string;
  email?: string;
}

export type UpdateResult =
  | { ok: true; data: SettingsResponse['data'] }
  | { ok: false; issues: SettingIssue[] }
  /** The settings were saved meanwhile (here or on another instance): nothing was written. */
  | { ok: false; conflict: true; data: SettingsResponse['data'] };

/** Splits a PUT body into the version it was read at and the settings to change. */
function splitVersion(body: unknown): { version: unknown; settings: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { version: undefined, settings: body };
  }
  const { version, ...settings } = body as Record<string, unknown>;
  return { version, settings };
}

/** Read-only here: set in config/plugins, read once at startup (buffers, timers, cron jobs). */
function fileOnlySettings(file: PluginConfig): FileOnlySetting[] {
  return [
    { key: 'flush.intervalMs', value: file.flush.intervalMs },
    { key: 'flush.maxBatch', value: file.flush.maxBatch },
    { key: 'buffer.maxEvents', value: file.buffer.maxEvents },
    { key: 'rateLimit.perVisitorPerMinute', value: file.rateLimit.perVisitorPerMinute },
    { key: 'rateLimit.perAddressPerMinute', value: perAddressLimit(file.rateLimit) },
    { key: 'rollup.cron', value: file.rollup.cron },
    { key: 'retention.cron', value: file.retention.cron },
    { key: 'system.sampleIntervalMs', value: file.system.sampleIntervalMs },
    { key: 'monitoring.enabled', value: file.monitoring.enabled },
    { key: 'monitoring.excludePaths', value: file.monitoring.excludePaths },
    { key: 'uptime.slo', value: file.uptime.slo },
    { key: 'instanceId', value: file.instanceId },
    { key: 'metrics.token', value: file.metrics.token !== null, secret: true },
  ];
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The settings page's side of the configuration: overrides of a few keys kept in Strapi's plugin
 * store (the core store table, so no migration), checked with the file config's own rules,
 * applied to this instance at once and to the others within SETTINGS_RELOAD_MS, and every change
 * written to the log with the admin who made it. A write names the version it was read at; if the
 * settings were saved meanwhile it is refused (409) with the current values.
 */
const createSettings = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['metrics', 'plugin-config']);
  const stored = createStoredSettings(strapi);
  const pluginConfig = () => use('plugin-config');
  let timer: NodeJS.Timeout | null = null;
  let updatedAt: string | null = null;
  let version = 0;
  let lastIgnored = '';
  let lastReloadError = 0;

  /** The stored overrides that fit config/plugins; the others are logged once and left out. */
  function usable(stored: StoredSettings): Overrides {
    const { overrides, ignored } = usableOverrides(pluginConfig().file(), stored.overrides);
    const report = ignored.map((i) => `"${i.key ?? 'settings'}" ${i.message}`).join('; ');
    if (report && report !== lastIgnored) {
      strapi.log.warn(
        `[usage-analytics] ignoring stored settings that do not fit config/plugins: ${report}. ` +
          'Change or reset them in Settings → Usage Analytics.'
      );
    }
    lastIgnored = report;
    return overrides;
  }

  /**
   * Makes `overrides` the effective settings. Metrics follow at once: their registry is built
   * when they are switched on and let go when switched off (not checked per request).
   */
  function apply(overrides: Overrides): void {
    pluginConfig().setOverrides(overrides);
    use('metrics').registry();
  }

  /** Makes `current` (read from the store) this instance's settings. */
  function adopt(current: StoredSettings): void {
    apply(usable(current));
    updatedAt = current.updatedAt;
    version = current.version;
  }

  async function reload(): Promise<void> {
    adopt(await stored.read());
  }

  /** A refused write: this instance takes the current settings, which the answer shows. */
  function conflict(current: StoredSettings): UpdateResult {
    adopt(current);
    return { ok: false, conflict: true, data: describe() };
  }

  function describe(): SettingsResponse['data'] {
    const config = pluginConfig();
    const file = config.file();
    return {
      effective: pickSettings(config.get()),
      file: pickSettings(file),
      overridden: Object.keys(config.overrides()) as SettingKey[],
      metricsTokenSet: file.metrics.token !== null,
      fileOnly: fileOnlySettings(file),
      reloadIntervalSeconds: SETTINGS_RELOAD_MS / 1000,
      updatedAt,
      version,
    };
  }

  function unknownContentTypes(uids: readonly string[] | null | undefined): SettingIssue[] {
    const missing = (uids ?? []).filter((uid) => !(uid in strapi.contentTypes));
    return missing.length
      ? [
          {
            key: 'excludeContentTypes',
            message: `names content types this app does not have: ${missing.join(', ')}`,
          },
        ]
      : [];
  }

  function audit(admin: AdminUser, before: PluginConfig, update: SettingsUpdate): void {
    const after = pluginConfig().get();
    const changes = (Object.keys(update) as SettingKey[]).flatMap((key) => {
      const from = readSetting(before, key);
      const to = readSetting(after, key);
      if (sameValue(from, to) && update[key] !== null) return [];
      const reset = update[key] === null ? ' (reset to config/plugins)' : '';
      return [`${key} ${describeValue(from)} → ${describeValue(to)}${reset}`];
    });
    if (!changes.length) return;
    strapi.log.info(
      `[usage-analytics] settings changed by admin user id ${admin.id ?? '?'} (${admin.email ?? 'unknown email'}): ${changes.join('; ')}`
    );
  }

  return {
    /** Reads the stored settings before anything else starts, then keeps them current. */
    async start(): Promise<void> {
      await reload();
      timer = setInterval(() => {
        reload().catch((error) => {
          const now = Date.now();
          if (now - lastReloadError < 60_000) return;
          lastReloadError = now;
          strapi.log.warn(
            `[usage-analytics] could not re-read the stored settings: ${error instanceof Error ? error.message : error}`
          );
        });
      }, SETTINGS_RELOAD_MS);
      timer.unref();
    },

    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },

    reload,
    describe,

    /**
     * Validates and applies a PUT body: the keys to change (`null` resets a key to
     * config/plugins) and the `version` they were read at.
     */
    async update(body: unknown, admin: AdminUser): Promise<UpdateResult> {
      const split = splitVersion(body);
      const parsed = parseUpdate(split.settings);
      const versionIssues: SettingIssue[] =
        Number.isInteger(split.version) && (split.version as number) >= 0
          ? []
          : [
              {
                key: 'version',
                message: `is required: the version of the settings read with GET (got ${describeValue(split.version)})`,
              },
            ];
      if (!parsed.ok) return { ok: false, issues: [...parsed.issues, ...versionIssues] };
      if (versionIssues.length) return { ok: false, issues: versionIssues };
      const { update } = parsed;
      const typeIssues = unknownContentTypes(update.excludeContentTypes);
      if (typeIssues.length) return { ok: false, issues: typeIssues };

      const current = await stored.read();
      if (current.version !== split.version) return conflict(current);
      const file = pluginConfig().file();
      const base = usable(current);
      const next: Record<string, unknown> = { ...base };
      for (const [key, value] of Object.entries(update) as [SettingKey, unknown][]) {
        if (value === null || sameValue(value, readSetting(file, key))) delete next[key];
        else next[key] = value;
      }
      const issues = checkOverrides(file, next as Overrides, Object.keys(update));
      if (issues.length) return { ok: false, issues };

      const before = applyOverrides(file, base);
      const written = await stored.compareAndSet(current.version, next);
      if (!written.ok) return conflict(written.current);
      adopt(written.saved);
      audit(admin, before, update);
      return { ok: true, data: describe() };
    },
  };
};

export type SettingsService = ReturnType<typeof createSettings>;
export default createSettings;
