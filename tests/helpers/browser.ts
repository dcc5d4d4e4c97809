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
