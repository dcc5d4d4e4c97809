import { chromium, type Browser } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const shared = require('../../scripts/chromium.cjs');

/** Console lines of Strapi's own admin in development mode (see scripts/chromium.cjs). */
export const STRAPI_CORE_WARNINGS: readonly RegExp[] = shared.STRAPI_CORE_WARNINGS;
/** The Content Manager edit view's own console lines, ending with " on <page URL>". */
export const CONTENT_MANAGER_NOISE: readonly RegExp[] = shared.CONTENT_MANAGER_NOISE;

/** Starts Debian's chromium through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: shared.CHROMIUM, args: shared.LAUNCH_ARGS });
}
