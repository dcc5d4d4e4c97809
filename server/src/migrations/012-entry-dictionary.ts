import type { Knex } from 'knex';
import { dialectOf } from '../rollup/dialect';
import type { Migration } from './types';

// On MySQL/MariaDB the dictionary compares bytes: its default collations would take `Abc` and
// `abc`, or `a` and `a ` (trailing spaces), for the same entry.
export const binaryCollation = async (knex: Knex) => {
  const [rows] = await knex.raw('SELECT VERSION() AS v');
  return /mariadb/i.test(String(rows?.[0]?.v)) ? 'utf8mb4_nopad_bin' : 'utf8mb4_bin';
};

/**
 * The content entries the raw events name (content type, document id, locale) stored once, in
 * `ua_entries`, and each raw event keeps the entry's integer id instead of the three texts: they
 * were a quarter of a raw row. Inside the dictionary an absent value is '' (a NULL would escape
 * the unique key); an event naming none of the three has no entry. The existing rows are
 * converted here, which rewrites every raw row once.
 */
export const entryDictionary: Migration = {
  name: '012-entry-dictionary',
  async up(knex, schema) {
    const mysql = dialectOf(knex) === 'mysql';
    const collation = mysql ? await binaryCollation(knex) : null;
    await schema(knex).createTable('ua_entries', (t) => {
      t.increments('id').primary();
      for (const [column, length] of [
        ['content_type', 255],
        ['document_id', 64],
        ['locale', 16],
      ] as const) {
        const c = t.string(column, length).notNullable().defaultTo('');
        if (collation) c.collate(collation);
      }
      t.unique(['content_type', 'document_id', 'locale'], { indexName: 'ua_entries_key_uq' });
    });
    await schema(knex).alterTable('ua_events', (t) => {
      t.integer('entry_id').nullable();
    });

    // The event's three columns as the dictionary stores them.
    const as = (column: string, a = 'e') => {
      const value = `COALESCE(${a}.${column}, '')`;
      return collation ? `CONVERT(${value} USING utf8mb4) COLLATE ${collation}` : value;
    };
    const named = (a = 'e') =>
      `(${a}.content_type IS NOT NULL OR ${a}.document_id IS NOT NULL OR ${a}.locale IS NOT NULL)`;
    await knex.raw(
      `INSERT INTO ua_entries (content_type, document_id, locale) ` +
        `SELECT DISTINCT ${as('content_type')}, ${as('document_id')}, ${as('locale')} ` +
        `FROM ua_events e WHERE ${named()}`
    );
    const match = (a: string) =>
      `n.content_type = ${as('content_type', a)} AND n.document_id = ${as('document_id', a)} ` +
      `AND n.locale = ${as('locale', a)}`;
    const dialect = dialectOf(knex);
    if (dialect === 'postgres') {
      await knex.raw(
        `UPDATE ua_events e SET entry_id = n.id FROM ua_entries n WHERE ${named()} AND ${match('e')}`
      );
    } else if (dialect === 'mysql') {
      await knex.raw(
        `UPDATE ua_events e JOIN ua_entries n ON ${match('e')} SET e.entry_id = n.id WHERE ${named()}`
      );
    } else {
      await knex.raw(
        `UPDATE ua_events SET entry_id = (SELECT n.id FROM ua_entries n WHERE ` +
          `${match('ua_events')}) WHERE ${named('ua_events')}`
      );
    }
    await schema(knex).alterTable('ua_events', (t) => {
      t.dropColumns('content_type', 'document_id', 'locale');
    });
  },
};
