'use strict';

// Jest globalSetup for the end-to-end suites: builds the plugin, then the test app with its admin
// panel (`strapi build`, about 45 s here), so the browser sees the current admin code.
// USAGE_ANALYTICS_SKIP_BUILD=1 skips it when nothing changed since the last build.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { APP_DIR, ensureAppEnv } = require('../../scripts/app-env.cjs');

module.exports = async () => {
  if (process.env.USAGE_ANALYTICS_SKIP_BUILD === '1') return;
  const root = path.resolve(__dirname, '..', '..');
  ensureAppEnv();
  execFileSync('npx', ['strapi-plugin', 'build'], { cwd: root, stdio: 'ignore' });
  try {
    // Quiet unless it fails: Vite's progress and bundler notes would bury the test output.
    execFileSync('npx', ['strapi', 'build'], {
      cwd: APP_DIR,
      stdio: 'pipe',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
};
