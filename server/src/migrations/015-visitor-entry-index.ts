import type { Migration } from './types';

/**
 * The visitor index of the raw events also holds the entry: the rollup asks, per content entry
 * and visitor of a chunk, whether a rolled-up row of the day has the same visitor and entry
 * (rollup/unique-visitors.ts). Keyed by the visitor alone, that question read every row of the
 * visitor's day until one named the entry, or all of them when none did — so a visitor who reads
 * many entries (a frontend server rendering pages, a crawler) made each rollup slower than the
 * last as the day went on. With the entry in the key it is one index seek. Sessions still find a
 * visitor's rows by the key's first column. Rebuilding the index takes a while on a large table,
 * once.
 */
export const visitorEntryIndex: Migration = {
  name: '015-visitor-entry-index',
  async up(knex, schema) {
    await schema(knex).alterTable('ua_events', (t) => {
      t.dropIndex(['visitor_hash'], 'ua_events_visitor_idx');
    });
    await schema(knex).alterTable('ua_events', (t) => {
      t.index(['visitor_hash', 'entry_id'], 'ua_events_visitor_idx');
    });
  },
};
