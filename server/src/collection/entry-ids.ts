import type { Knex } from 'knex';
import { dialectOf } from '../rollup/dialect';
import { BoundedMap } from './bounded-map';

/** The three columns that name a content entry on a logical raw row. */
export interface EntryColumns {
  content_type: string | null;
  document_id: string | null;
  locale: string | null;
}

/** A raw row as stored: the entry's id in `ua_entries` (migration 012) instead of its columns. */
export type StoredRow<Row extends EntryColumns> = Omit<Row, keyof EntryColumns> & {
  entry_id: number | null;
};

// Entries remembered per connection pool: the ones a site's current traffic names.
const REMEMBERED = 5000;
// Three bindings an entry, well under every database's limit per statement; and SQLite's limit of
// 500 terms in the compound SELECT knex writes a multi-row INSERT as.
const PER_QUERY = 500;

const SEP = '\u0000';
// Dictionary rows are never deleted, so an id, once read, stays right for as long as the process.
const remembered = new WeakMap<Knex, BoundedMap<string, number>>();

const keyOf = (ct: string, doc: string, locale: string) => `${ct}${SEP}${doc}${SEP}${locale}`;
const stored = (row: EntryColumns): [string, string, string] | null =>
  row.content_type === null && row.document_id === null && row.locale === null
    ? null
    : [row.content_type ?? '', row.document_id ?? '', row.locale ?? ''];

/**
 * The ids of `entries` in `ua_entries`, adding those missing. Each instance adds what it names
 * with `INSERT … ON CONFLICT DO NOTHING` and reads the ids back, so instances adding the same
 * entry at once agree on its id.
 */
async function lookUp(
  knex: Knex,
  entries: [string, string, string][]
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < entries.length; i += PER_QUERY) {
    const chunk = entries.slice(i, i + PER_QUERY);
    const insert = knex('ua_entries')
      .insert(
        chunk.map(([content_type, document_id, locale]) => ({ content_type, document_id, locale }))
      )
      .onConflict(['content_type', 'document_id', 'locale']);
    // MySQL: a no-op update rather than INSERT IGNORE, which would also hide truncation errors.
    await (dialectOf(knex) === 'mysql' ? insert.merge(['content_type']) : insert.ignore());
    const rows: { id: number; content_type: string; document_id: string; locale: string }[] =
      await knex('ua_entries')
        .whereIn(['content_type', 'document_id', 'locale'], chunk)
        .select('id', 'content_type', 'document_id', 'locale');
    for (const r of rows) ids.set(keyOf(r.content_type, r.document_id, r.locale), Number(r.id));
    // A MySQL without a no-pad binary collation compares `a` and `a ` equal: the stored one serves.
    for (const [ct, doc, locale] of chunk) {
      const key = keyOf(ct, doc, locale);
      if (ids.has(key)) continue;
      const same = rows.find(
        (r) =>
          r.content_type.trimEnd() === ct.trimEnd() &&
          r.document_id.trimEnd() === doc.trimEnd() &&
          r.locale.trimEnd() === locale.trimEnd()
      );
      if (!same) throw new Error(`usage-analytics: no dictionary entry for ${JSON.stringify(key)}`);
      ids.set(key, Number(same.id));
    }
  }
  return ids;
}

/**
 * Logical raw rows (with content type, document id and locale) as they are stored: with the id of
 * their entry in `ua_entries`, or none for a row that names none of the three. Ids already known
 * cost nothing; the others one insert and one select per 500 distinct entries.
 */
export async function withEntryIds<Row extends EntryColumns>(
  knex: Knex,
  rows: Row[]
): Promise<StoredRow<Row>[]> {
  let known = remembered.get(knex);
  if (!known) remembered.set(knex, (known = new BoundedMap(REMEMBERED)));
  const ids = new Map<string, number>();
  const missing = new Map<string, [string, string, string]>();
  for (const row of rows) {
    const entry = stored(row);
    if (!entry) continue;
    const key = keyOf(...entry);
    const id = known.get(key);
    if (id !== undefined) ids.set(key, id);
    else missing.set(key, entry);
  }
  if (missing.size) {
    // In one order on every instance, so that two adding the same entries at once never deadlock.
    const sorted = [...missing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
    for (const [key, id] of await lookUp(knex, sorted)) {
      ids.set(key, id);
      known.set(key, id);
    }
  }
  return rows.map((row) => {
    const { content_type: _ct, document_id: _doc, locale: _locale, ...rest } = row;
    const entry = stored(row);
    return { ...rest, entry_id: entry ? (ids.get(keyOf(...entry)) ?? null) : null };
  });
}

/** Forgets the ids remembered for `knex`'s database: for tests and benches that drop the tables. */
export function forgetEntryIds(knex: Knex): void {
  remembered.delete(knex);
}
