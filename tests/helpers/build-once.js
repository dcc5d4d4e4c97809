'use strict';

// Jest globalSetup for the integration suites: builds the plugin and compiles the test app, so a
// test never runs against a stale build. scripts/test-integration.mjs builds once and sets
// USAGE_ANALYTICS_SKIP_BUILD=1 for the per-database runs.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  if (process.env.USAGE_ANALYTICS_SKIP_BUILD === '1') return;
  const root = path.resolve(__dirname, '..', '..');
  execFileSync('npx', ['strapi-plugin', 'build'], { cwd: root, stdio: 'ignore' });
  execFileSync('npx', ['tsc', '-p', 'tests/app/tsconfig.json'], { cwd: root, stdio: 'inherit' });
};
