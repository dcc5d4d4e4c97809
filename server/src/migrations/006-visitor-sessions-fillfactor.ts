import type { Migration } from './types';

/**
 * PostgreSQL: room on each page of `ua_visitor_sessions` for the rollup's updates in place (every
 * chunk rewrites the row of each visitor it saw), so that they can stay off the primary key's
 * index ("HOT" updates) instead of leaving a dead index entry per update for autovacuum. Only
 * pages written from now on are affected. Other databases: nothing to do.
 */
export const visitorSessionsFillfactor: Migration = {
  name: '006-visitor-sessions-fillfactor',
  async up(knex) {
    if (!/^(pg|postgres)/.test(String(knex.client.config.client))) return;
    await knex.raw('ALTER TABLE ?? SET (fillfactor = 70)', ['ua_visitor_sessions']);
  },
};
