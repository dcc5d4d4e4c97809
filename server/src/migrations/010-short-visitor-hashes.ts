import type { Migration } from './types';

const DAY_MS = 86_400_000;

/**
 * Visitor hashes are 16 hex characters from now on (collection/visitor-hash.ts), not 32. A
 * visitor is counted once per day by comparing hashes, so the raw rows and session figures of the
 * days that can still receive events — yesterday and today, the days whose salts are kept — are
 * cut to 16 characters as well; older days never meet a new hash and keep theirs.
 */
export const shortVisitorHashes: Migration = {
  name: '010-short-visitor-hashes',
  async up(knex) {
    const now = Date.now();
    const yesterday = now - (now % DAY_MS) - DAY_MS;
    const cut = knex.raw('SUBSTR(visitor_hash, 1, 16)');
    await knex('ua_events')
      .where('ts', '>=', yesterday)
      .whereRaw('LENGTH(visitor_hash) > 16')
      .update({ visitor_hash: cut });
    await knex('ua_visitor_sessions')
      .where('day', '>=', new Date(yesterday).toISOString().slice(0, 10))
      .whereRaw('LENGTH(visitor) > 16')
      .update({ visitor: knex.raw('SUBSTR(visitor, 1, 16)') });
  },
};
