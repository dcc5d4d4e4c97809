import type { Migration } from './types';

/**
 * Monitoring rollups: request stats per hour and per day (all instances merged, histograms
 * merged exactly), system samples per hour and instance (min/avg/max), and the database pool
 * columns of the raw samples.
 */
export const monitoringTables: Migration = {
  name: '004-monitoring-tables',
  async up(knex, schema) {
    await schema(knex).alterTable('ua_system_samples', (t) => {
      t.integer('db_pool_used').nullable();
      t.integer('db_pool_free').nullable();
      t.integer('db_pool_pending').nullable();
    });

    for (const [table, column] of [
      ['ua_request_stats_hourly', 'hour'],
      ['ua_request_stats_daily', 'day'],
    ] as const) {
      await schema(knex).createTable(table, (t) => {
        t.bigInteger(column).notNullable(); // start of the UTC hour / day, epoch ms
        t.string('method', 10).notNullable();
        t.string('route', 255).notNullable();
        t.smallint('status_class').notNullable();
        t.integer('count').notNullable();
        t.integer('error_count').notNullable();
        t.double('sum_ms').notNullable();
        t.double('min_ms').notNullable();
        t.double('max_ms').notNullable();
        t.text('histogram').notNullable();
        t.primary([column, 'method', 'route', 'status_class']);
      });
    }

    await schema(knex).createTable('ua_system_hourly', (t) => {
      t.bigInteger('hour').notNullable();
      t.string('instance_id', 128).notNullable();
      t.integer('samples').notNullable();
      for (const metric of ['cpu_pct', 'rss', 'heap_used', 'event_loop_p99_ms']) {
        t.double(`${metric}_min`).notNullable();
        t.double(`${metric}_avg`).notNullable();
        t.double(`${metric}_max`).notNullable();
      }
      t.double('heap_total_avg').notNullable();
      t.double('event_loop_p50_ms_avg').notNullable();
      t.integer('in_flight_max').notNullable();
      t.primary(['hour', 'instance_id']);
    });
  },
};
