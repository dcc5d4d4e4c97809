import knexFactory, { type Knex } from 'knex';
import { startServer, type ServerProcess } from './server-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DATABASES, NAME, resetDatabase } = require('../../scripts/databases.cjs');

export type ServerDb = 'postgres' | 'mysql';

/** A knex of our own on the test database, to read what Strapi stored. */
export function databaseKnex(db: ServerDb): Knex {
  const { label: _label, ...connection } = DATABASES[db];
  return knexFactory({
    client: db === 'mysql' ? 'mysql2' : 'pg',
    connection: { ...connection, password: '' },
    pool: { min: 0, max: 2 },
  });
}

export const emptyDatabase = (db: ServerDb): Promise<void> => resetDatabase(db);

/**
 * Starts the test app as `strapi start` on PostgreSQL or MariaDB with a plugin configuration,
 * trusting X-Forwarded-For (so a load generator can be many visitors). `databasePort` points it
 * at a proxy instead of the server itself.
 */
export function startApp(
  port: number,
  db: ServerDb,
  pluginConfig: Record<string, unknown>,
  extraEnv: Record<string, string> = {},
  databasePort?: number
): Promise<ServerProcess> {
  return startServer(port, {
    DB_CLIENT: db,
    DATABASE_NAME: NAME,
    ...(databasePort ? { DATABASE_PORT: String(databasePort) } : {}),
    TRUST_PROXY: 'true',
    USAGE_ANALYTICS_CONFIG: JSON.stringify(pluginConfig),
    ...extraEnv,
  });
}

/** Creates the first admin (a super admin) on a fresh database and returns its token. */
export async function registerFirstAdmin(url: string): Promise<string> {
  const res = await fetch(`${url}/admin/register-admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'reliability@example.test',
      password: 'Reliability-1',
      firstname: 'Rel',
      lastname: 'Iability',
    }),
  });
  const body = (await res.json()) as { data?: { token: string } };
  if (!body.data?.token) throw new Error(`register-admin: ${res.status} ${JSON.stringify(body)}`);
  return body.data.token;
}

/** Paths of the tracked pageviews stored under `prefix`. */
export async function storedPaths(knex: Knex, prefix: string): Promise<Set<string>> {
  const rows = await knex('ua_events').where('path', 'like', `${prefix}/%`).select('path');
  return new Set(rows.map((r: { path: string }) => r.path));
}
