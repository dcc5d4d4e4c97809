'use strict';

// Debian's chromium as playwright-core drives it, and the console lines of Strapi's own admin that
// are not this plugin's: shared by the browser suites (tests/helpers/browser.ts) and the
// pack-install check (scripts/test-pack-install.mjs).

/** Debian's chromium (installed by .ci/run with apt), never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';

// Headless as root, and no background connections (this machine's network is closed to them).
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Console lines Strapi's own admin prints in development mode (not this plugin's code): its
 * configuration provider calls useRBAC with an object, React Router 6 announces v7 flags, and
 * Redux Toolkit's development checks report their own slowness on a busy machine.
 */
const STRAPI_CORE_WARNINGS = [
  /^warning: useRBAC: The first argument should be an array of permissions, not an object\./,
  /^warning: ⚠️ React Router Future Flag Warning:/,
  /^warning: (Immutable|Serializable)StateInvariantMiddleware took \d+ms/,
];

/**
 * What the Content Manager's edit view logs of its own, in lines that end with " on <page URL>":
 * its form passes `attribute` to a styled component (also for a role whose edit view has no panel
 * of this plugin), and a Community Edition app answers 404 to its AI and preview requests.
 */
const CONTENT_MANAGER_NOISE = [
  /^warning: styled-components: it looks like an unknown prop "attribute" is being sent through to the DOM.* on http:\/\/[^/]+\/admin\/content-manager\//s,
  /^error: Failed to load resource: .* 404 \(Not Found\) \(http:\/\/[^/]+\/(admin\/ai-feature-config|i18n\/ai-localization-jobs\/|content-manager\/preview\/url\/)/,
];

module.exports = { CHROMIUM, LAUNCH_ARGS, STRAPI_CORE_WARNINGS, CONTENT_MANAGER_NOISE };
