#!/usr/bin/env node
// Runs the integration suites once per database: SQLite, PostgreSQL, MariaDB (or those named in
// argv / DB_CLIENTS). An unreachable server fails the run under CI=true and is skipped, loudly,
// elsewhere. Prints a summary and writes counts to tests/artifacts/integration-summary.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { NAME, DATABASES, checkReachable } = require('./databases.cjs');

const root = path.resolve(import.meta.dirname, '..');
const artifacts = path.join(root, 'tests', 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });

const wanted =
  (process.argv.slice(2).length ? process.argv.slice(2) : null) ??
  (process.env.DB_CLIENTS ? process.env.DB_CLIENTS.split(',') : Object.keys(DATABASES));
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const results = [];

// Build the plugin and compile the test app once for all databases.
for (const [label, args] of [
  ['plugin build', ['strapi-plugin', 'build']],
  ['test app compile', ['tsc', '-p', 'tests/app/tsconfig.json']],
]) {
  const built = spawnSync('npx', args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) {
    console.error(`${label} failed`);
    process.exit(1);
  }
}

for (const db of wanted) {
  if (!DATABASES[db]) {
    console.error(`Unknown database "${db}" (use ${Object.keys(DATABASES).join(', ')})`);
    process.exit(2);
  }
  try {
    await checkReachable(db);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    results.push({ db, status: isCI ? 'UNREACHABLE' : 'SKIPPED', passed: 0, failed: 0, reason });
    console.error(`\n!!! ${DATABASES[db].label} is not reachable (${reason}).`);
    console.error(
      isCI ? '!!! CI=true: this fails the run.\n' : '!!! Its integration suites are SKIPPED.\n'
    );
    continue;
  }
  console.log(`\n=== Integration suites on ${DATABASES[db].label} ===`);
  const report = path.join(artifacts, `jest-integration-${db}.json`);
  const run = spawnSync(
    'npx',
    [
      'jest',
      '--selectProjects',
      'integration',
      '--runInBand',
      '--json',
      `--outputFile=${report}`,
      // Several instances sharing one database is a server-database matter; SQLite serves one.
      ...(db === 'sqlite' ? ['--testPathIgnorePatterns', 'scale-out'] : []),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        DB_CLIENT: db,
        DATABASE_NAME: NAME,
        USAGE_ANALYTICS_SKIP_BUILD: '1',
      },
    }
  );
  let passed = 0;
  let failed = 0;
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + json.numRuntimeErrorTestSuites;
  } catch {
    failed = 1;
  }
  const ok = run.status === 0 && failed === 0;
  results.push({
    db,
    status: ok ? 'PASSED' : 'FAILED',
    passed,
    failed: ok ? failed : Math.max(failed, 1),
  });
}

console.log('\nIntegration suites by database:');
for (const r of results) {
  const label = DATABASES[r.db].label.padEnd(11);
  console.log(
    `  ${label} ${r.status.padEnd(11)} ${r.passed} passed, ${r.failed} failed${r.reason ? `  (${r.reason})` : ''}`
  );
}
fs.writeFileSync(
  path.join(artifacts, 'integration-summary.json'),
  JSON.stringify(results, null, 2)
);
const bad = results.some((r) => r.status === 'FAILED' || r.status === 'UNREACHABLE');
process.exit(bad ? 1 : 0);
