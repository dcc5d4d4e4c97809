#!/usr/bin/env node
// `npm test`: lint, type checks, plugin build and verify, unit tests, the integration suites on
// SQLite, PostgreSQL and MariaDB, then the end-to-end suites in chromium (against the production
// admin build, then against the development admin, where React reports its warnings). Stops at
// the first failing step and ends with a one-line count of tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const artifacts = path.join(root, 'tests', 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });

const jestJson = (project, report) => [
  'jest',
  '--selectProjects',
  project,
  '--runInBand',
  '--json',
  `--outputFile=${path.join(artifacts, report)}`,
];
const JEST_REPORTS = {
  unit: 'jest-unit.json',
  e2e: 'jest-e2e.json',
  'e2e (develop)': 'jest-e2e-develop.json',
};

const steps = [
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['verify', 'npm', ['run', '--silent', 'verify']],
  [
    'unit',
    'npx',
    [
      'jest',
      '--selectProjects',
      'unit',
      '--json',
      `--outputFile=${path.join(artifacts, 'jest-unit.json')}`,
    ],
  ],
  ['integration', 'node', ['scripts/test-integration.mjs']],
  ['e2e', 'npx', jestJson('e2e', 'jest-e2e.json')],
  // The same suite against the development admin; it reuses the builds of the run before.
  [
    'e2e (develop)',
    'npx',
    jestJson('e2e', 'jest-e2e-develop.json'),
    { E2E_DEVELOP: '1', USAGE_ANALYTICS_SKIP_BUILD: '1' },
  ],
];

let passed = 0;
let failed = 0;
const timings = [];
for (const [name, cmd, args, env = {}] of steps) {
  console.log(`\n--- ${name} ---`);
  const started = Date.now();
  const run = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  timings.push([
    name,
    ((Date.now() - started) / 1000).toFixed(1),
    run.status === 0 ? 'ok' : 'FAILED',
  ]);
  if (JEST_REPORTS[name]) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(artifacts, JEST_REPORTS[name]), 'utf8'));
      passed += json.numPassedTests;
      failed += json.numFailedTests + json.numRuntimeErrorTestSuites;
    } catch {
      failed += 1;
    }
  }
  if (name === 'integration') {
    try {
      const summary = JSON.parse(
        fs.readFileSync(path.join(artifacts, 'integration-summary.json'), 'utf8')
      );
      for (const r of summary) {
        passed += r.passed;
        failed += r.failed;
      }
    } catch {
      failed += 1;
    }
  }
  if (run.status !== 0) {
    if (failed === 0) failed = 1;
    break;
  }
}

console.log('\nStep          seconds  result');
for (const [name, secs, result] of timings)
  console.log(`${name.padEnd(14)}${secs.padStart(7)}  ${result}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
