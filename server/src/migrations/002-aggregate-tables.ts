import type { Migration } from './types';

/**
 * Aggregates, recomputed one whole UTC day at a time from the raw tables (see
 * services/rollup.ts), and `ua_dirty_days`: the days whose raw rows changed since their last
 * rollup, marked by the raw writers in the same transaction as the rows.
 */
export const aggregateTables: Migration = {
  name: '002-aggregate-tables',
  async up(knex, schema) {
    await schema(knex).createTable('ua_dirty_days', (t) => {
      t.string('day', 10).primary();
      t.string('token', 32).notNullable();
    });

    await schema(knex).createTable('ua_site_daily', (t) => {
      t.string('day', 10).primary();
      t.integer('pageviews').notNullable();
      t.integer('api_reads').notNullable();
      t.integer('visitors').notNullable();
      t.integer('sessions').notNullable();
      t.integer('bounces').notNullable();
      t.bigInteger('engaged_ms').notNullable();
      t.integer('events').notNullable();
    });

    await schema(knex).createTable('ua_site_hourly', (t) => {
      t.bigInteger('hour').primary();
      t.string('day', 10).notNullable();
      t.integer('pageviews').notNullable();
      t.integer('api_reads').notNullable();
      t.integer('visitors').notNullable();
      t.index(['day'], 'ua_site_hourly_day_idx');
    });

    await schema(knex).createTable('ua_content_daily', (t) => {
      t.string('day', 10).notNullable();
      t.string('content_type', 255).notNullable();
      t.string('document_id', 64).notNullable();
      t.string('locale', 16).nullable();
      t.integer('pageviews').notNullable();
      t.integer('api_reads').notNullable();
      t.integer('visitors').notNullable();
      t.integer('engagements').notNullable();
      t.bigInteger('engaged_ms').notNullable();
      t.integer('events').notNullable();
      t.index(['day'], 'ua_content_daily_day_idx');
      t.index(['content_type', 'document_id', 'day'], 'ua_content_daily_entry_idx');
    });

    await schema(knex).createTable('ua_content_hourly', (t) => {
      t.bigInteger('hour').notNullable();
      t.string('day', 10).notNullable();
      t.string('content_type', 255).notNullable();
      t.string('document_id', 64).notNullable();
      t.string('locale', 16).nullable();
      t.integer('views').notNullable();
      t.integer('visitors').notNullable();
      t.index(['day'], 'ua_content_hourly_day_idx');
      t.index(['content_type', 'document_id', 'hour'], 'ua_content_hourly_entry_idx');
    });

    // One row per day, dimension (path, referrer, utm_source, …) and value.
    await schema(knex).createTable('ua_dimension_daily', (t) => {
      t.string('day', 10).notNullable();
      t.string('dimension', 16).notNullable();
      t.string('value', 2000).notNullable();
      t.integer('pageviews').notNullable();
      t.integer('visitors').notNullable();
      t.index(['day', 'dimension'], 'ua_dimension_daily_day_idx');
    });

    await schema(knex).createTable('ua_event_daily', (t) => {
      t.string('day', 10).notNullable();
      t.string('event_name', 120).notNullable();
      t.integer('count').notNullable();
      t.integer('visitors').notNullable();
      t.index(['day'], 'ua_event_daily_day_idx');
    });

    await schema(knex).createTable('ua_editorial_daily', (t) => {
      t.string('day', 10).notNullable();
      t.string('content_type', 255).notNullable();
      t.string('document_id', 64).nullable();
      t.string('locale', 16).nullable();
      t.string('action', 32).notNullable();
      t.integer('count').notNullable();
      t.index(['day'], 'ua_editorial_daily_day_idx');
      t.index(['content_type', 'document_id'], 'ua_editorial_daily_entry_idx');
    });

    await schema(knex).createTable('ua_list_reads_daily', (t) => {
      t.string('day', 10).notNullable();
      t.string('content_type', 255).notNullable();
      t.integer('count').notNullable();
      t.index(['day'], 'ua_list_reads_daily_day_idx');
    });
  },
};
