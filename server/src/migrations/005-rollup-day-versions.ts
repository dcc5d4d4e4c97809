import type { Migration } from './types';

/**
 * A version per rolled-up day, raised each time the rollup adds to that day's aggregates: the
 * stats service keeps results over closed days in memory and knows from these versions, with one
 * small query, when they are out of date.
 */
export const rollupDayVersions: Migration = {
  name: '005-rollup-day-versions',
  async up(knex, schema) {
    await schema(knex).alterTable('ua_rollup_days', (t) => {
      t.bigInteger('version').notNullable().defaultTo(0);
    });
  },
};
