#!/usr/bin/env node
// Runs the integration suites once per database, the databases side by side: SQLite,
// PostgreSQL, MariaDB (or those named in argv / DB_CLIENTS). An unreachable server fails the run
// under CI=true and is skipped, loudly, elsewhere. Prints a summary and writes counts to tests/artifacts/integration-summary.json.
import { spawn, spawnSync } from 'node:child_process';
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

/** Runs one database's suites; its output goes to a log printed when it ends. */
function runSuites(db, index) {
  const report = path.join(artifacts, `jest-integration-${db}.json`);
  const log = path.join(artifacts, `integration-${db}.log`);
  // A run that dies before writing its report must not be judged by an earlier run's.
  fs.rmSync(report, { force: true });
  const out = fs.openSync(log, 'w');
  const child = spawn(
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
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        DB_CLIENT: db,
        DATABASE_NAME: NAME,
        USAGE_ANALYTICS_SKIP_BUILD: '1',
        // The runs share the machine: each its own ports for the servers a suite starts.
        SCALE_OUT_PORT: String(Number(process.env.SCALE_OUT_PORT ?? 1471) + 10 * index),
      },
    }
  );
  return new Promise((resolve) => {
    child.on('close', (code) => {
      fs.closeSync(out);
      console.log(`\n=== Integration suites on ${DATABASES[db].label} ===`);
      process.stdout.write(fs.readFileSync(log, 'utf8'));
      let passed = 0;
      let failed = 0;
      try {
        const json = JSON.parse(fs.readFileSync(report, 'utf8'));
        passed = json.numPassedTests;
        failed = json.numFailedTests + json.numRuntimeErrorTestSuites;
      } catch {
        failed = 1;
      }
      const ok = code === 0 && failed === 0;
      resolve({
        db,
        status: ok ? 'PASSED' : 'FAILED',
        passed,
        failed: ok ? failed : Math.max(failed, 1),
      });
    });
  });
}

const reachable = [];
for (const db of wanted) {
  if (!DATABASES[db]) {
    console.error(`Unknown database "${db}" (use ${Object.keys(DATABASES).join(', ')})`);
    process.exit(2);
  }
  try {
    await checkReachable(db);
    reachable.push(db);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    results.push({ db, status: isCI ? 'UNREACHABLE' : 'SKIPPED', passed: 0, failed: 0, reason });
    console.error(`\n!!! ${DATABASES[db].label} is not reachable (${reason}).`);
    console.error(
      isCI ? '!!! CI=true: this fails the run.\n' : '!!! Its integration suites are SKIPPED.\n'
    );
  }
}
// The databases' runs go side by side (INTEGRATION_SERIAL=1: one after another): most of a
// suite's time is Strapi booting and waiting for its timers, not CPU. Each database is its own
// server (or SQLite file), so the runs share nothing but the machine.
const serial = process.env.INTEGRATION_SERIAL === '1';
console.log(
  `Integration suites on ${reachable.map((db) => DATABASES[db].label).join(', ')}` +
    `${serial ? ', one after another' : ', side by side'}; each prints its output when it ends`
);
if (serial) {
  for (const [index, db] of reachable.entries()) results.push(await runSuites(db, index));
} else {
  results.push(...(await Promise.all(reachable.map((db, index) => runSuites(db, index)))));
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
