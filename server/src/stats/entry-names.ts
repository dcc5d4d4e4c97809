import type { Knex } from 'knex';
import type { Row } from './rows';

// Entry ids looked up per query: well under every database's limit of bindings.
const PER_QUERY = 500;

/**
 * Rows of a content aggregate (keyed by `entry_id`) with their entry's content type, document id
 * and locale (null when absent) read from `ua_entries`: the shape the stats had when the
 * aggregates stored those texts. New rows: `rows` may be shared.
 */
export async function namedEntries(knex: Knex, rows: Row[]): Promise<Row[]> {
  const ids = [...new Set(rows.map((r) => Number(r.entry_id)))];
  const names = new Map<number, Row>();
  for (let i = 0; i < ids.length; i += PER_QUERY) {
    const found: Row[] = await knex('ua_entries')
      .whereIn('id', ids.slice(i, i + PER_QUERY))
      .select('id', 'content_type', 'document_id', 'locale');
    for (const n of found) {
      names.set(Number(n.id), {
        content_type: n.content_type,
        document_id: n.document_id,
        locale: n.locale === '' ? null : n.locale,
      });
    }
  }
  return rows.map((r) => ({ ...r, ...names.get(Number(r.entry_id)) }));
}
