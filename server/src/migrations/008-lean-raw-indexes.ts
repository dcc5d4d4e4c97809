import type { Migration } from './types';

/**
 * Smaller indexes on the raw events, which are most of the plugin's bytes. The rollup finds a
 * batch's rows by batch number and the sessions a visitor's rows by visitor hash: the time that
 * followed each in its index only narrowed rows the key already narrows to about one day (a
 * flush's batch, a visitor hash under that day's salt). Keyed by one column, runs of equal keys
 * are stored once on PostgreSQL (B-tree deduplication). No query reads the raw rows by content
 * entry, so that index goes. Rebuilding two indexes takes a while on a large table, once.
 */
export const leanRawIndexes: Migration = {
  name: '008-lean-raw-indexes',
  async up(knex, schema) {
    await schema(knex).alterTable('ua_events', (t) => {
      t.dropIndex(['content_type', 'document_id'], 'ua_events_entry_idx');
      t.dropIndex(['batch', 'ts'], 'ua_events_batch_idx');
      t.dropIndex(['visitor_hash', 'ts'], 'ua_events_visitor_idx');
    });
    await schema(knex).alterTable('ua_events', (t) => {
      t.index(['batch'], 'ua_events_batch_idx');
      t.index(['visitor_hash'], 'ua_events_visitor_idx');
    });
  },
};
