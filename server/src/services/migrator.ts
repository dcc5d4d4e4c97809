import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { MIGRATIONS, type Migration } from '../migrations';

/** knex's own migrator, with the plugin's migrations in code and a migrations table of its own. */
export const MIGRATIONS_TABLE = 'ua_migrations';
const LOCK_TABLE = `${MIGRATIONS_TABLE}_lock`;

/** How long a booting instance waits for another one's migrations before it gives up. */
export const MIGRATION_WAIT_MS = 5 * 60_000;
const POLL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isLocked = (error: unknown) => error instanceof Error && error.name === 'MigrationLocked';

const createMigrator = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = strapi.db.connection as unknown as Knex;
  const schemaName: string | undefined = strapi.db.getSchemaName?.() || undefined;
  const schemaBuilder = (k: Knex) => (schemaName ? k.schema.withSchema(schemaName) : k.schema);
  const lockTable = () => (schemaName ? knex(LOCK_TABLE).withSchema(schemaName) : knex(LOCK_TABLE));
  const mysql = strapi.db.dialect.client === 'mysql';

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
    disableTransactions: mysql,
    ...(schemaName ? { schemaName } : {}),
  });

  /** Tells once that this boot waits, and fails with a way out when the wait is over. */
  function waiter(waitMs: number) {
    const started = Date.now();
    let told = false;
    return {
      started,
      remainingMs: () => started + waitMs - Date.now(),
      tell() {
        if (told) return;
        told = true;
        strapi.log.info(
          `[usage-analytics] another instance is running the plugin's migrations; waiting for it (up to ${Math.round(waitMs / 1000)} s)`
        );
      },
      done() {
        if (told) {
          strapi.log.info(
            `[usage-analytics] the other instance's migrations are done (waited ${((Date.now() - started) / 1000).toFixed(1)} s)`
          );
        }
      },
      giveUp(): never {
        throw new Error(
          `[usage-analytics] the plugin's migrations are still locked after ${Math.round(waitMs / 1000)} s. ` +
            `If no instance is starting, an earlier one stopped while migrating: check the tables, then ` +
            `release the lock with UPDATE ${LOCK_TABLE} SET is_locked = 0.`
        );
      },
    };
  }

  async function lockFlagSet(): Promise<boolean> {
    try {
      const row = (await lockTable().first('is_locked')) as { is_locked?: unknown } | undefined;
      return Number(row?.is_locked ?? 0) === 1;
    } catch {
      return false; // no lock table before the first boot
    }
  }

  /**
   * knex.migrate.latest, waiting while another instance holds knex's lock flag (instead of
   * failing with MigrationLocked, which knex does where it cannot wait inside a transaction:
   * MySQL/MariaDB, or a flag left by an instance that is migrating without one).
   */
  async function latestWhenFree(
    migrations: readonly Migration[],
    wait: ReturnType<typeof waiter>
  ): Promise<string[]> {
    for (;;) {
      if (await lockFlagSet()) {
        wait.tell();
        if (wait.remainingMs() <= 0) wait.giveUp();
        await sleep(POLL_MS);
        continue;
      }
      try {
        const [, applied] = (await knex.migrate.latest(configFor(migrations))) as [
          number,
          string[],
        ];
        return applied;
      } catch (error) {
        if (!isLocked(error)) throw error;
        wait.tell();
        if (wait.remainingMs() <= 0) wait.giveUp();
      }
    }
  }

  /**
   * On MySQL/MariaDB, instances take turns with a named lock held by one connection (released by
   * the server if the process dies), so the second lists pending migrations only after the first
   * has run them.
   */
  async function withMysqlTurn<T>(wait: ReturnType<typeof waiter>, run: () => Promise<T>) {
    const connection = await knex.client.acquireConnection();
    const name = "LEFT(CONCAT('usage-analytics migrations ', DATABASE()), 64)";
    const take = async (seconds: number) => {
      const result = (await knex
        .raw(`SELECT GET_LOCK(${name}, ?) AS got`, [seconds])
        .connection(connection)) as unknown as [Array<{ got: unknown }>];
      return Number(result[0][0]?.got) === 1;
    };
    try {
      if (!(await take(0))) {
        wait.tell();
        if (!(await take(Math.max(1, Math.ceil(wait.remainingMs() / 1000))))) wait.giveUp();
      }
      try {
        return await run();
      } finally {
        await knex.raw(`SELECT RELEASE_LOCK(${name})`).connection(connection);
      }
    } finally {
      await knex.client.releaseConnection(connection);
    }
  }

  return {
    /**
     * Applies every pending migration. An instance that boots while another one migrates waits
     * for it (up to `waitMs`, with a log line) and then continues.
     */
    async migrate(
      migrations: readonly Migration[] = MIGRATIONS,
      waitMs = MIGRATION_WAIT_MS
    ): Promise<string[]> {
      const wait = waiter(waitMs);
      const applied = mysql
        ? await withMysqlTurn(wait, () => latestWhenFree(migrations, wait))
        : await latestWhenFree(migrations, wait);
      wait.done();
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
