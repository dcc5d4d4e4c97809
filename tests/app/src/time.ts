/**
 * Lengths of time in milliseconds, for the demo. The same as the plugin's `shared/time.ts`, which
 * the test app cannot import: it is compiled on its own (rootDir tests/app), into the dist/ that
 * Strapi loads.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
