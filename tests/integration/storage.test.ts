import type { Knex } from 'knex';
import { MIGRATIONS, PLUGIN_TABLES } from '../../server/src/migrations';
import { describeTable } from '../helpers/schema';
import { bootApp, type TestApp } from '../helpers/strapi';

const knexOf = (app: TestApp) => app.strapi.db.connection as unknown as Knex;

async function snapshot(app: TestApp) {
  const tables: Record<string, Awaited<ReturnType<typeof describeTable>>> = {};
  for (const table of PLUGIN_TABLES) tables[table] = await describeTable(app, table);
  return tables;
}

describe('plugin tables and migrations', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('creates every table at first boot and changes nothing at the second', async () => {
    app = await bootApp();
    const first = await snapshot(app);
    for (const table of PLUGIN_TABLES) {
      expect(await knexOf(app).schema.hasTable(table)).toBe(true);
    }
    expect(first.ua_events.columns).toEqual(
      expect.arrayContaining(['ts', 'kind', 'content_type', 'document_id', 'visitor_hash'])
    );
    expect(first.ua_events.indexes).toEqual(
      expect.arrayContaining(['ua_events_ts_idx', 'ua_events_entry_idx'])
    );
    expect(first.ua_request_stats.indexes).toContain('ua_request_stats_minute_idx');
    const applied = await knexOf(app)('ua_migrations').select('name', 'migration_time');
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(
      app.logs.some((l) => /applied migrations: 001-raw-and-state-tables/.test(l.message))
    ).toBe(true);

    // Data written by the plugin must survive Strapi's own schema sync on the next boot.
    await knexOf(app)('ua_events').insert({
      ts: 1_700_000_000_000,
      kind: 'pageview',
      source: 'api',
    });
    await knexOf(app)('ua_jobs').insert({ name: 'probe', watermark: 42 });
    await app.stop();

    app = await bootApp({ keepDatabase: true });
    expect(await snapshot(app)).toEqual(first);
    const again = await knexOf(app)('ua_migrations').select('name', 'migration_time');
    expect(again).toEqual(applied);
    expect(app.logs.some((l) => /applied migrations/.test(l.message))).toBe(false);
    const events = await knexOf(app)('ua_events').select('ts', 'kind');
    expect(events.map((e) => ({ ts: Number(e.ts), kind: e.kind }))).toEqual([
      { ts: 1_700_000_000_000, kind: 'pageview' },
    ]);
    const job = await knexOf(app)('ua_jobs').where({ name: 'probe' }).first();
    expect(Number(job.watermark)).toBe(42);
  });

  it('applies only the new migration on upgrade', async () => {
    app = await bootApp();
    const migrator = app.strapi.plugin('usage-analytics').service('migrator');
    const upgrade = {
      name: '999-test-upgrade',
      async up(knex: Knex, schema: (k: Knex) => Knex.SchemaBuilder) {
        await schema(knex).alterTable('ua_settings', (t) =>
          t.string('probe_column', 20).nullable()
        );
      },
    };
    expect(await migrator.migrate([...MIGRATIONS, upgrade])).toEqual(['999-test-upgrade']);
    expect(await migrator.migrate([...MIGRATIONS, upgrade])).toEqual([]);
    expect((await describeTable(app, 'ua_settings')).columns).toContain('probe_column');
  });
});
