import { chromium, type Browser } from 'playwright-core';

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

/** Starts Debian's chromium through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/**
 * Console lines Strapi's own admin prints in development mode (not this plugin's code): its
 * configuration provider calls useRBAC with an object, React Router 6 announces v7 flags, and
 * Redux Toolkit's development checks report their own slowness on a busy machine.
 */
export const STRAPI_CORE_WARNINGS: readonly RegExp[] = [
  /^warning: useRBAC: The first argument should be an array of permissions, not an object\./,
  /^warning: ⚠️ React Router Future Flag Warning:/,
  /^warning: (Immutable|Serializable)StateInvariantMiddleware took \d+ms/,
];
