import type { Migration } from './types';

/**
 * Each visitor-day of `ua_visitor_sessions` keeps where its sessions stand — the last hit's time
 * and the last session's views and interactions — so that the rollup adds a chunk's hits to it
 * instead of recounting the visitor's whole day (rollup/session-state.ts). Rows written before
 * have no last hit and are recounted once, the next time their visitor is seen.
 */
export const sessionStates: Migration = {
  name: '011-session-states',
  async up(knex, schema) {
    await schema(knex).alterTable('ua_visitor_sessions', (t) => {
      t.bigInteger('last_ts').nullable();
      t.integer('last_views').nullable();
      t.integer('last_interactions').nullable();
    });
  },
};
