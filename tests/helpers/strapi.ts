import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import request from 'supertest';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { APP_DIR, ensureAppEnv } = require('../../scripts/app-env.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NAME: DATABASE_NAME, resetDatabase } = require('../../scripts/databases.cjs');

export type DbClient = 'sqlite' | 'postgres' | 'mysql';

/** The database this run of the integration suites uses (scripts/test-integration.mjs sets it). */
export const DB_CLIENT = (process.env.DB_CLIENT ?? 'sqlite') as DbClient;

export interface BootOptions {
  /** The plugin's `config` entry, as a site would write it in config/plugins. */
  pluginConfig?: Record<string, unknown>;
  /** Set false to boot the app with the plugin disabled. */
  pluginEnabled?: boolean;
  /** Keep the current database instead of starting from an empty one. */
  keepDatabase?: boolean;
  /** Extra environment for the app's config files. */
  env?: Record<string, string>;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface TestApp {
  strapi: Core.Strapi;
  logs: LogLine[];
  http: () => ReturnType<typeof request>;
  stop: () => Promise<void>;
}

let sqliteFile: string | null = null;

async function prepareDatabase(keep: boolean) {
  if (DB_CLIENT === 'sqlite') {
    if (!keep || !sqliteFile) {
      sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-test-')), 'data.db');
    }
    process.env.DATABASE_FILENAME = sqliteFile;
  } else if (!keep) {
    await resetDatabase(DB_CLIENT);
  }
}

/**
 * Boots the repository's test app (compiled to tests/app/dist) in this process with the built
 * plugin, as `strapi start` would in production (no admin panel build needed), and mounts its HTTP server for supertest.
 */
export async function bootApp(options: BootOptions = {}): Promise<TestApp> {
  process.env.ENV_PATH = ensureAppEnv();
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  process.env.LOG_LEVEL = process.env.TEST_VERBOSE ? 'debug' : 'warn';
  process.env.DB_CLIENT = DB_CLIENT;
  // The database the harness resets is the one the app uses (TEST_DATABASE_NAME, default `test`).
  process.env.DATABASE_NAME = DATABASE_NAME;
  process.env.USAGE_ANALYTICS_CONFIG = JSON.stringify(options.pluginConfig ?? {});
  process.env.USAGE_ANALYTICS_ENABLED = String(options.pluginEnabled ?? true);
  for (const [key, value] of Object.entries(options.env ?? {})) process.env[key] = value;
  await prepareDatabase(options.keepDatabase ?? false);

  // Strapi is resolved from the app's directory, as `strapi start` would.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createStrapi } = require(require.resolve('@strapi/strapi', { paths: [APP_DIR] }));
  const strapi: Core.Strapi = createStrapi({
    appDir: APP_DIR,
    distDir: path.join(APP_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });

  const logs: LogLine[] = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    const original = strapi.log[level].bind(strapi.log);
    strapi.log[level] = ((message: unknown, ...rest: unknown[]) => {
      logs.push({ level, message: String(message) });
      if (level === 'error' || process.env.TEST_VERBOSE) original(message as string, ...rest);
      return strapi.log;
    }) as typeof strapi.log.info;
  }

  try {
    await strapi.load();
  } catch (error) {
    // Strapi loads plugins and APIs in parallel; let the loaders still running settle first.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await strapi.destroy().catch(() => undefined);
    throw error;
  }
  strapi.server.mount();

  return {
    strapi,
    logs,
    http: () => request(strapi.server.httpServer),
    stop: async () => {
      await strapi.destroy();
      for (const key of Object.keys(options.env ?? {})) delete process.env[key];
    },
  };
}
