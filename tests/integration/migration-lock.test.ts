import type { Knex } from 'knex';
import type { Migration } from '../../server/src/migrations';
import { MIGRATIONS } from '../../server/src/migrations';
import createMigrator from '../../server/src/services/migrator';
import { DB_CLIENT, bootApp, type TestApp } from '../helpers/strapi';

// Several instances booting at once on one database: one runs the plugin's migrations, the
// others wait for it and then start (on MySQL/MariaDB knex cannot wait inside a transaction and
// used to fail with MigrationLocked).

const PROBE_TABLE = 'ua_test_migration_probe';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`plugin migrations with another instance migrating (${DB_CLIENT})`, () => {
  let app: TestApp;
  let knex: Knex;

  /** A migration that takes a while, as a large table's would. */
  const slowProbe = (runs: string[]): Migration => ({
    name: '999-test-slow-probe',
    async up(k, schema) {
      runs.push('up');
      await schema(k).createTable(PROBE_TABLE, (t) => t.integer('id'));
      await sleep(1500);
    },
  });
  const waitLines = () =>
    app.logs.filter((l) => l.message.includes('another instance is running the plugin')).length;

  beforeAll(async () => {
    app = await bootApp();
    knex = app.strapi.db.connection as unknown as Knex;
  });
  afterAll(async () => {
    await knex.schema.dropTableIfExists(PROBE_TABLE);
    await knex('ua_migrations').where({ name: '999-test-slow-probe' }).delete();
    await app?.stop();
  });

  it('waits while the migration lock is held, logs it, then continues', async () => {
    await knex('ua_migrations_lock').update({ is_locked: 1 });
    const started = Date.now();
    const unlock = sleep(1500).then(() => knex('ua_migrations_lock').update({ is_locked: 0 }));
    const applied = await createMigrator({ strapi: app.strapi }).migrate(MIGRATIONS, 30_000);
    await unlock;
    expect(applied).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(waitLines()).toBe(1);
    expect(
      app.logs.some((l) => /other instance's migrations are done \(waited/.test(l.message))
    ).toBe(true);
  });

  it('gives up after the bounded wait with a way out, if the lock is never released', async () => {
    await knex('ua_migrations_lock').update({ is_locked: 1 });
    try {
      await expect(createMigrator({ strapi: app.strapi }).migrate(MIGRATIONS, 800)).rejects.toThrow(
        /still locked after 1 s.*UPDATE ua_migrations_lock SET is_locked = 0/
      );
    } finally {
      await knex('ua_migrations_lock').update({ is_locked: 0 });
    }
  });

  it('two instances migrating at once both succeed, and the migration runs once', async () => {
    const runs: string[] = [];
    const migrations = [...MIGRATIONS, slowProbe(runs)];
    const results = await Promise.allSettled([
      createMigrator({ strapi: app.strapi }).migrate(migrations, 30_000),
      sleep(100).then(() => createMigrator({ strapi: app.strapi }).migrate(migrations, 30_000)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect(applied).toEqual(['999-test-slow-probe']);
    expect(runs).toEqual(['up']);
    expect(await knex.schema.hasTable(PROBE_TABLE)).toBe(true);
  });
});
