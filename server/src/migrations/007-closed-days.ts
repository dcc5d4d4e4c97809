import type { Migration } from './types';

/**
 * Closed days (rollup/day-closing.ts): per rolled-up day, whether the rollup still remembers its
 * counted visitors and sessions (0, open), has started forgetting them (1) or has forgotten them
 * (2). Days rolled up before this migration are open; the next rollup closes those it may.
 */
export const closedDays: Migration = {
  name: '007-closed-days',
  async up(knex, schema) {
    await schema(knex).alterTable('ua_rollup_days', (t) => {
      t.smallint('closed').notNullable().defaultTo(0);
    });
  },
};
