// The demo app as `npm run demo` and `npm run demo:screenshots` start it: the plugin and the test
// app's admin panel built, Strapi on a SQLite file with sample content, 90 days of history and 30
// days of monitoring history, an admin user, and live sample traffic.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sendDemoTraffic } from './demo-traffic.mjs';

const require = createRequire(import.meta.url);
const { APP_DIR, ensureAppEnv } = require('./app-env.cjs');

export const root = path.resolve(import.meta.dirname, '..');
// Strapi's own CLI, run by node itself, so that stopping the process stops Strapi.
const STRAPI_BIN = path.join(root, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');

/** The demo's admin user. */
export const demoLogin = {
  email: process.env.DEMO_EMAIL ?? 'admin@example.com',
  password: process.env.DEMO_PASSWORD ?? 'Demo-password-1',
};

function run(label, cmd, argv, options = {}) {
  console.log(`» ${label}`);
  const result = spawnSync(cmd, argv, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status})`);
    process.exit(1);
  }
}

/** Builds the plugin, then the test app's admin panel for production. */
export function buildDemo() {
  ensureAppEnv();
  run('Building the plugin', 'npm', ['run', '--silent', 'build'], { cwd: root });
  run('Building the demo app admin panel (about a minute)', 'npx', ['strapi', 'build'], {
    cwd: APP_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

async function waitForHealth(base, child, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Strapi exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/_health`);
      if (res.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Strapi did not answer ${base}/_health within ${timeoutMs / 1000}s`);
}

async function ensureAdmin(base, dbFile) {
  const init = await (await fetch(`${base}/admin/init`)).json();
  if (!init.data?.hasAdmin) {
    const res = await fetch(`${base}/admin/register-admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...demoLogin, firstname: 'Demo', lastname: 'Admin' }),
    });
    if (!res.ok)
      throw new Error(`could not create the admin user: ${res.status} ${await res.text()}`);
    return;
  }
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoLogin),
  });
  if (!res.ok) {
    console.warn(
      `! An admin already exists in ${path.relative(root, dbFile)} with another password; ` +
        'run `npm run demo -- --fresh` to start over.'
    );
  }
}

/**
 * Starts the built demo app (`strapi start`) on `port` with its database in `database` (relative
 * to tests/app; `fresh` removes it first, so the history is written again), waits until it
 * answers, makes sure the admin user exists and sends `requests` requests of live traffic.
 * `env` adds to the app's environment. Ctrl-C stops the app. Returns its address, its process,
 * `stop()` and how many requests were sent.
 */
export async function startDemo({
  port,
  database = '.tmp/demo.db',
  fresh = false,
  requests = 600,
  env = {},
}) {
  ensureAppEnv();
  const base = `http://127.0.0.1:${port}`;
  const dbFile = path.join(APP_DIR, database);
  if (fresh) fs.rmSync(dbFile, { force: true });
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });

  console.log('» Starting Strapi with the plugin on SQLite');
  const child = spawn(process.execPath, [STRAPI_BIN, 'start'], {
    cwd: APP_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DB_CLIENT: 'sqlite',
      DATABASE_FILENAME: database,
      SEED_CONTENT: 'true',
      // A new demo database gets this many days of history (see tests/app/src/demo-history.ts).
      DEMO_HISTORY_DAYS: process.env.DEMO_HISTORY_DAYS ?? '90',
      // The demo's traffic comes from one machine; trust X-Forwarded-For so it shows many visitors.
      TRUST_PROXY: 'true',
      // One name for the demo's Strapi across restarts (its monitoring history has it too), rather
      // than this machine's hostname and pid.
      USAGE_ANALYTICS_CONFIG: JSON.stringify({ instanceId: 'strapi-1' }),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      STRAPI_TELEMETRY_DISABLED: 'true',
      ...env,
    },
  });
  const stop = () => {
    child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await waitForHealth(base, child);
    await ensureAdmin(base, dbFile);
    const sent = await sendDemoTraffic(base, { requests });
    return { base, child, stop, sent, dbFile };
  } catch (error) {
    stop();
    throw error;
  }
}
