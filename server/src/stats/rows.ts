import type { Knex } from 'knex';

export type Row = Record<string, unknown>;

/** Rows of a query builder or a raw query, whatever the database driver returns. */
export async function rowsOf(query: Knex.QueryBuilder | Knex.Raw): Promise<Row[]> {
  const result: unknown = await query;
  if (Array.isArray(result)) {
    // mysql2 answers [rows, fields] to raw queries; builders and SQLite give rows.
    return Array.isArray(result[0]) ? (result[0] as Row[]) : (result as Row[]);
  }
  return ((result as { rows?: Row[] })?.rows ?? []) as Row[];
}

const toNumber = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(value);

/** One string per distinct combination of a row's `keys` values. */
export const rowKey = (row: Row, keys: string[]): string =>
  keys.map((k) => String(row[k] ?? '')).join('\u0000');

/** One string per content entry (type, document, locale), for rows shaped like the API's. */
export const entryKey = (entry: {
  contentType: string;
  documentId: string;
  locale?: string | null;
}): string => rowKey(entry, ['contentType', 'documentId', 'locale']);

/** Groups rows by `keys` and sums `fields` (numbers may arrive as strings from PostgreSQL). */
export function sumBy(rows: Row[], keys: string[], fields: string[]): Row[] {
  const groups = new Map<string, Row>();
  for (const row of rows) {
    const id = rowKey(row, keys);
    const group: Row =
      groups.get(id) ??
      Object.fromEntries([...keys.map((k) => [k, row[k] ?? null]), ...fields.map((f) => [f, 0])]);
    groups.set(id, group);
    for (const f of fields) group[f] = (group[f] as number) + toNumber(row[f]);
  }
  return [...groups.values()];
}
