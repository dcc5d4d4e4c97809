#!/usr/bin/env node
// `npm run test:pack`: what a new user does, end to end. Packs the plugin, creates a brand-new
// Strapi 5 app in a temporary folder with create-strapi-app, installs the tarball with a plain
// `npm install <tarball>`, enables the plugin in config/plugins.ts, builds the admin panel,
// starts Strapi and checks that the plugin booted with no warnings or errors of its own.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const strapiVersion = pkg.devDependencies['@strapi/strapi'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-pack-'));
const appDir = path.join(work, 'my-site');
const port = 1460;

function run(label, cmd, args, cwd) {
  console.log(`» ${label}`);
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (result.status !== 0) {
    console.error(result.stdout?.slice(-4000), result.stderr?.slice(-4000));
    throw new Error(`${label} failed (exit ${result.status})`);
  }
  return result.stdout;
}

let server;
try {
  run('build the plugin', 'npm', ['run', '--silent', 'build'], root);
  const packed = run('npm pack', 'npm', ['pack', '--pack-destination', work, '--silent'], root);
  const tarball = path.join(work, packed.trim().split('\n').pop());

  run(
    `create a new Strapi ${strapiVersion} app`,
    'npx',
    [
      '-y',
      `create-strapi-app@${strapiVersion}`,
      'my-site',
      '--no-run',
      '--skip-cloud',
      '--no-example',
      '--typescript',
      '--use-npm',
      '--dbclient=sqlite',
      '--no-git-init',
      '--install',
      '--skip-db',
    ],
    work
  );
  run('npm install <tarball> (no flags)', 'npm', ['install', tarball], appDir);

  // Enable the plugin the way the README says: add one entry to config/plugins.ts.
  const pluginsFile = path.join(appDir, 'config', 'plugins.ts');
  const original = fs.readFileSync(pluginsFile, 'utf8');
  const enabled = original.replace(
    /=>\s*\(\{/,
    (match) => `${match}\n  'usage-analytics': { enabled: true },`
  );
  if (enabled === original) throw new Error('could not add the plugin to config/plugins.ts');
  fs.writeFileSync(pluginsFile, enabled);

  run('npm run build (admin panel with the plugin)', 'npm', ['run', 'build'], appDir);

  console.log('» npm run start');
  let output = '';
  server = spawn('npm', ['run', 'start'], {
    cwd: appDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STRAPI_TELEMETRY_DISABLED: 'true',
    },
    detached: true,
  });
  server.stdout.on('data', (d) => (output += d));
  server.stderr.on('data', (d) => (output += d));
  const deadline = Date.now() + 90_000;
  let healthy = false;
  while (!healthy && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    healthy = await fetch(`http://127.0.0.1:${port}/_health`).then(
      (r) => r.status === 204,
      () => false
    );
  }
  if (!healthy) throw new Error(`Strapi did not start:\n${output.slice(-4000)}`);

  const status = await fetch(`http://127.0.0.1:${port}/usage-analytics/status`);
  const lines = output.split('\n');
  const ready = lines.find((l) => l.includes('[usage-analytics] ready on sqlite'));
  const complaints = lines.filter((l) => /usage-analytics/i.test(l) && /warn|error/i.test(l));
  console.log(
    `  startup line: ${ready?.replace(/^.*\[usage-analytics\]/, '[usage-analytics]') ?? 'MISSING'}`
  );
  console.log(`  plugin warnings/errors: ${complaints.length}`);
  console.log(`  GET /usage-analytics/status without a token: ${status.status}`);
  if (!ready || complaints.length || status.status !== 401) {
    throw new Error(`unexpected start:\n${complaints.join('\n')}\n${output.slice(-3000)}`);
  }
  console.log('\npack-install: 1 passed, 0 failed');
} catch (error) {
  console.error(`\n✖ ${error instanceof Error ? error.message : error}`);
  console.log('\npack-install: 0 passed, 1 failed');
  process.exitCode = 1;
} finally {
  if (server) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
}
