import type { Migration } from './types';

/**
 * The first schema: raw usage events, editorial activity, per-minute request stats,
 * system samples, heartbeats, job state (watermarks and leases), daily salts and settings.
 * Times are epoch milliseconds in BIGINT columns: exact, the same on every database,
 * and bucketed into minutes/hours/days with integer arithmetic.
 */
export const rawAndStateTables: Migration = {
  name: '001-raw-and-state-tables',
  async up(knex, schema) {
    await schema(knex).createTable('ua_events', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('ts').notNullable();
      t.string('kind', 16).notNullable(); // pageview | event | engagement | api_read | list_read
      t.string('source', 16).notNullable(); // api | tracker | plausible | umami
      t.string('content_type', 255).nullable();
      t.string('document_id', 64).nullable();
      t.string('locale', 16).nullable();
      t.string('path', 2000).nullable();
      t.string('referrer_host', 255).nullable();
      t.string('utm_source', 255).nullable();
      t.string('utm_medium', 255).nullable();
      t.string('utm_campaign', 255).nullable();
      t.string('device', 16).nullable();
      t.string('browser', 32).nullable();
      t.string('os', 32).nullable();
      t.string('country', 2).nullable();
      t.string('visitor_hash', 32).nullable();
      t.integer('engaged_ms').nullable();
      t.smallint('scroll_depth').nullable();
      t.string('event_name', 120).nullable();
      t.text('props').nullable();
      t.index(['ts'], 'ua_events_ts_idx');
      t.index(['content_type', 'document_id'], 'ua_events_entry_idx');
    });

    await schema(knex).createTable('ua_editorial', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('ts').notNullable();
      t.string('content_type', 255).notNullable();
      t.string('document_id', 64).nullable();
      t.string('locale', 16).nullable();
      t.string('action', 32).notNullable();
      t.index(['ts'], 'ua_editorial_ts_idx');
      t.index(['content_type', 'document_id'], 'ua_editorial_entry_idx');
    });

    await schema(knex).createTable('ua_request_stats', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('minute').notNullable(); // start of the minute, epoch ms
      t.string('instance_id', 128).notNullable();
      t.string('method', 10).notNullable();
      t.string('route', 255).notNullable();
      t.smallint('status_class').notNullable(); // 1..5 for 1xx..5xx
      t.integer('count').notNullable();
      t.integer('error_count').notNullable();
      t.double('sum_ms').notNullable();
      t.double('min_ms').notNullable();
      t.double('max_ms').notNullable();
      t.text('histogram').notNullable(); // sparse {bucket: count}, mergeable
      t.index(['minute'], 'ua_request_stats_minute_idx');
    });

    await schema(knex).createTable('ua_system_samples', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('ts').notNullable();
      t.string('instance_id', 128).notNullable();
      t.float('cpu_pct').notNullable();
      t.bigInteger('rss').notNullable();
      t.bigInteger('heap_used').notNullable();
      t.bigInteger('heap_total').notNullable();
      t.float('event_loop_p50_ms').notNullable();
      t.float('event_loop_p99_ms').notNullable();
      t.integer('in_flight').notNullable();
      t.float('uptime_s').notNullable();
      t.index(['ts'], 'ua_system_samples_ts_idx');
    });

    await schema(knex).createTable('ua_heartbeats', (t) => {
      t.string('instance_id', 128).notNullable();
      t.bigInteger('minute').notNullable();
      t.string('version', 32).notNullable();
      t.primary(['instance_id', 'minute']);
      t.index(['minute'], 'ua_heartbeats_minute_idx');
    });

    await schema(knex).createTable('ua_jobs', (t) => {
      t.string('name', 64).primary();
      t.bigInteger('watermark').notNullable().defaultTo(0);
      t.string('lease_owner', 128).nullable();
      t.bigInteger('lease_expires_at').notNullable().defaultTo(0);
      t.bigInteger('updated_at').notNullable().defaultTo(0);
    });

    await schema(knex).createTable('ua_salts', (t) => {
      t.string('day', 10).primary(); // UTC date, YYYY-MM-DD
      t.string('salt', 64).notNullable();
    });

    await schema(knex).createTable('ua_settings', (t) => {
      t.integer('id').primary();
      t.text('value').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
  },
};
