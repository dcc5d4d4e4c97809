import path from 'path';
import type { Core } from '@strapi/strapi';

// One app, three databases: DB_CLIENT picks sqlite (default), postgres or mysql (MariaDB).
export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const client = env('DB_CLIENT', 'sqlite');
  const pool = { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) };
  const connections = {
    sqlite: {
      connection: {
        filename: path.resolve(__dirname, '..', '..', env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
    },
    postgres: {
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'test'),
        user: env('DATABASE_USERNAME', 'postgres'),
        password: env('DATABASE_PASSWORD', ''),
        schema: env('DATABASE_SCHEMA', 'public'),
      },
      pool,
    },
    mysql: {
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 3306),
        database: env('DATABASE_NAME', 'test'),
        user: env('DATABASE_USERNAME', 'root'),
        password: env('DATABASE_PASSWORD', ''),
      },
      pool,
      // Strapi's nested admin transactions make knex warn on every savepoint release on MariaDB
      // ("Transaction was implicitly committed ... (#805)"); that line is Strapi's, not ours,
      // and would bury the test output, so it alone is dropped.
      log: {
        warn: (message: unknown) => {
          if (!/implicitly committed/.test(String(message))) console.warn(message);
        },
      },
    },
  };
  if (!(client in connections)) {
    throw new Error(`DB_CLIENT must be one of sqlite, postgres, mysql (got "${client}")`);
  }
  return {
    connection: {
      client,
      ...connections[client as keyof typeof connections],
      acquireConnectionTimeout: 60000,
    },
  };
};
