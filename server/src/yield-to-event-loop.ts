/**
 * Lets timers, I/O and other requests run. An awaited query never does by itself on SQLite:
 * better-sqlite3 runs every statement synchronously and knex resolves its promise at once, so a
 * loop of awaited statements holds the Node.js thread until the loop ends.
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
