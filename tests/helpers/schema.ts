import type { Knex } from 'knex';
import type { TestApp } from './strapi';

/** Column names and index names of a table, read from the database's own catalogue. */
export async function describeTable(app: TestApp, table: string) {
  const knex = app.strapi.db.connection as unknown as Knex;
  const columns = Object.keys(await knex(table).columnInfo()).sort();
  const client = app.strapi.db.dialect.client;
  let indexes: string[];
  if (client === 'sqlite') {
    const rows = await knex.raw(`PRAGMA index_list(??)`, [table]);
    indexes = rows.map((r: { name: string }) => r.name);
  } else if (client === 'postgres') {
    const { rows } = await knex.raw(
      'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?',
      [table]
    );
    indexes = rows.map((r: { indexname: string }) => r.indexname);
  } else {
    const [rows] = await knex.raw('SHOW INDEX FROM ??', [table]);
    indexes = rows.map((r: { Key_name: string }) => r.Key_name);
  }
  return { columns, indexes: [...new Set(indexes)].filter((n) => !/autoindex/.test(n)).sort() };
}
