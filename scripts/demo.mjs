#!/usr/bin/env node
// `npm run demo`: builds the plugin and the test app's admin panel, boots the app on SQLite with
// sample content, creates an admin user, sends realistic traffic, and prints the admin URL and
// login. Ctrl-C stops it. Options: --fresh (start from an empty database), --skip-build.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sendDemoTraffic } from './demo-traffic.mjs';

const require = createRequire(import.meta.url);
const { APP_DIR, ensureAppEnv } = require('./app-env.cjs');

const root = path.resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORT ?? 1337);
const base = `http://127.0.0.1:${port}`;
const login = {
  email: process.env.DEMO_EMAIL ?? 'admin@example.com',
  password: process.env.DEMO_PASSWORD ?? 'Demo-password-1',
};
const dbFile = path.join(APP_DIR, '.tmp', 'demo.db');

function run(label, cmd, argv, options = {}) {
  console.log(`» ${label}`);
  const result = spawnSync(cmd, argv, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status})`);
    process.exit(1);
  }
}

async function waitForHealth(child, timeoutMs = 300_000) {
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

async function ensureAdmin() {
  const init = await (await fetch(`${base}/admin/init`)).json();
  if (!init.data?.hasAdmin) {
    const res = await fetch(`${base}/admin/register-admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...login, firstname: 'Demo', lastname: 'Admin' }),
    });
    if (!res.ok)
      throw new Error(`could not create the admin user: ${res.status} ${await res.text()}`);
    return;
  }
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(login),
  });
  if (!res.ok) {
    console.warn(
      `! An admin already exists in ${path.relative(root, dbFile)} with another password; ` +
        'run `npm run demo -- --fresh` to start over.'
    );
  }
}

ensureAppEnv();
if (args.has('--fresh')) fs.rmSync(dbFile, { force: true });
fs.mkdirSync(path.dirname(dbFile), { recursive: true });

if (!args.has('--skip-build')) {
  run('Building the plugin', 'npm', ['run', '--silent', 'build'], { cwd: root });
  run('Building the demo app admin panel (about a minute)', 'npx', ['strapi', 'build'], {
    cwd: APP_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

console.log('» Starting Strapi with the plugin on SQLite');
const strapi = spawn('npx', ['strapi', 'start'], {
  cwd: APP_DIR,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DB_CLIENT: 'sqlite',
    DATABASE_FILENAME: '.tmp/demo.db',
    SEED_CONTENT: 'true',
    // A new demo database gets this many days of history (see tests/app/src/demo-history.ts).
    DEMO_HISTORY_DAYS: process.env.DEMO_HISTORY_DAYS ?? '90',
    // The demo's traffic comes from one machine; trust X-Forwarded-For so it shows many visitors.
    TRUST_PROXY: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    STRAPI_TELEMETRY_DISABLED: 'true',
  },
});
const stop = () => {
  strapi.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
strapi.on('exit', (code) => process.exit(code ?? 0));

try {
  await waitForHealth(strapi);
  await ensureAdmin();
  const sent = await sendDemoTraffic(base, { requests: 600 });
  console.log(`\n✔ Demo ready — sent ${sent} requests of sample traffic.`);
  console.log(`  Admin panel: ${base}/admin`);
  console.log(`  Login:       ${login.email} / ${login.password}`);
  console.log('  A trickle of traffic continues while it runs. Ctrl-C stops the demo.\n');
  setInterval(() => {
    sendDemoTraffic(base, { requests: 10 }).catch(() => undefined);
  }, 15_000).unref();
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : error}`);
  stop();
}
