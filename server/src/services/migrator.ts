import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { MIGRATIONS, type Migration } from '../migrations';

/** knex's own migrator, with the plugin's migrations in code and a migrations table of its own. */
export const MIGRATIONS_TABLE = 'ua_migrations';

const createMigrator = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = strapi.db.connection as unknown as Knex;
  const schemaName: string | undefined = strapi.db.getSchemaName?.() || undefined;
  const schemaBuilder = (k: Knex) => (schemaName ? k.schema.withSchema(schemaName) : k.schema);

  const sourceOf = (migrations: readonly Migration[]): Knex.MigrationSource<Migration> => ({
    getMigrations: async () => [...migrations],
    getMigrationName: (migration) => migration.name,
    getMigration: async (migration) => ({
      up: (k: Knex) => migration.up(k, schemaBuilder),
      down: async () => {
        throw new Error(`usage-analytics migrations cannot be rolled back (${migration.name})`);
      },
    }),
  });

  const configFor = (migrations: readonly Migration[]): Knex.MigratorConfig => ({
    migrationSource: sourceOf(migrations),
    tableName: MIGRATIONS_TABLE,
    // MySQL/MariaDB commit DDL implicitly, so a transaction there only adds a warning.
    disableTransactions: strapi.db.dialect.client === 'mysql',
    ...(schemaName ? { schemaName } : {}),
  });

  return {
    /** Applies every pending migration; concurrent instances wait on knex's lock table. */
    async migrate(migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
      const [, applied] = (await knex.migrate.latest(configFor(migrations))) as [number, string[]];
      return applied;
    },

    /** The name of the newest applied migration, or null before the first boot. */
    async currentVersion(): Promise<string | null> {
      const [done] = (await knex.migrate.list(configFor(MIGRATIONS))) as [
        Array<{ name: string }>,
        unknown,
      ];
      return done.length ? done[done.length - 1].name : null;
    },
  };
};

export type MigratorService = ReturnType<typeof createMigrator>;
export default createMigrator;
