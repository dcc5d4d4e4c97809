/**
 * Lengths of time in milliseconds, for the server, the admin panel, the tests and the benchmarks
 * (which load this file from source: it imports nothing). Migrations keep their own values.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
