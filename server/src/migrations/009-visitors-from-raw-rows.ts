import type { Migration } from './types';

/**
 * Unique visitors are counted from the raw rows (rollup/unique-visitors.ts): a visitor is new to a
 * key when no rolled-up raw row of the day has it. `ua_uniques`, which remembered every counted
 * (day, scope, key, visitor), is no longer read or written. Its visitors were those of raw rows
 * already rolled up, which the new count sees, so dropping it loses nothing.
 */
export const visitorsFromRawRows: Migration = {
  name: '009-visitors-from-raw-rows',
  async up(knex, schema) {
    await schema(knex).dropTableIfExists('ua_uniques');
  },
};
