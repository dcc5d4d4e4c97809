#!/usr/bin/env node
// `npm run test:pack`: what a new user does, end to end. Packs the plugin, creates a brand-new
// Strapi 5 app in a temporary folder with create-strapi-app, installs the tarball with a plain
// `npm install <tarball>`, enables the plugin in config/plugins.ts, adds an Article type, builds
// the admin panel, starts Strapi and checks that the plugin booted with no warnings or errors of
// its own; then runs `strapi develop` on a cold Vite cache and opens an article in chromium
// (scripts/pack-develop-check.mjs). Before packing, it checks that the admin bundle leaves only
// the plugin's peers (what Strapi's admin loads) for the host app to resolve.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nonPeerAdminImports } from './admin-bundle-imports.mjs';
import { addArticleType, startApp } from './pack-app.mjs';
import { checkDevelop } from './pack-develop-check.mjs';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const strapiVersion = pkg.devDependencies['@strapi/strapi'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-pack-'));
const appDir = path.join(work, 'my-site');
const port = Number(process.env.PORT ?? 1460);

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

const checks = [];
/** Records a check's result: `failures` empty means it passed. */
function check(name, failures) {
  checks.push({ name, failures });
  console.log(`  ${failures.length ? '✖' : '✔'} ${name}`);
  for (const failure of failures) console.error(`    ${failure}`);
}

let server;
try {
  run('build the plugin', 'npm', ['run', '--silent', 'build'], root);
  const strays = await nonPeerAdminImports(root);
  for (const [name, files] of strays)
    console.log(`  dist/admin imports ${name} (${files.join(', ')})`);
  check(
    'dist/admin imports only peer dependencies',
    strays.map(([name]) => `${name} is not a peer dependency; bundle it`)
  );
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

  addArticleType(appDir);

  run('npm run build (admin panel with the plugin)', 'npm', ['run', 'build'], appDir);

  console.log('» npm run start');
  server = await startApp(appDir, 'start', port);
  const status = await fetch(`${server.url}/usage-analytics/status`);
  const output = server.output();
  const lines = output.split('\n');
  const ready = lines.find((l) => l.includes('[usage-analytics] ready on sqlite'));
  const complaints = lines.filter((l) => /usage-analytics/i.test(l) && /warn|error/i.test(l));
  console.log(
    `  startup line: ${ready?.replace(/^.*\[usage-analytics\]/, '[usage-analytics]') ?? 'MISSING'}`
  );
  console.log(`  plugin warnings/errors: ${complaints.length}`);
  console.log(`  GET /usage-analytics/status without a token: ${status.status}`);
  check(
    'strapi start: the plugin is ready, with no warning or error of its own',
    !ready || complaints.length || status.status !== 401
      ? [`unexpected start:\n${complaints.join('\n')}\n${output.slice(-3000)}`]
      : []
  );
  await server.stop();
  server = undefined;

  check(
    'strapi develop (cold Vite cache): the entry panel renders in the Content Manager',
    await checkDevelop(appDir, port)
  );
} catch (error) {
  check('pack-install', [error instanceof Error ? error.message : String(error)]);
} finally {
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
const failed = checks.filter((c) => c.failures.length).length;
console.log(`\npack-install: ${checks.length - failed} passed, ${failed} failed`);
if (failed) process.exitCode = 1;
