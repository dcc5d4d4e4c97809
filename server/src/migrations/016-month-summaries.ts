import type { Migration } from './types';

/**
 * Month summaries of the two largest daily aggregates: the sums of a whole month's daily rows per
 * key, in a row whose `day` is the month's first day, so that a long range reads about a thirtieth
 * of the rows (rollup/month-summaries.ts builds them; the stats reader reads them for the whole
 * months of a range). `ua_month_summaries` records, per month, the versions of its days the
 * summary was built from: a day the rollup added to since makes the summary stale. Sums are
 * 64-bit: a month of a busy key can pass what a day's 32-bit column holds.
 */
export const monthSummaries: Migration = {
  name: '016-month-summaries',
  async up(knex, schema) {
    await schema(knex).createTable('ua_content_monthly', (t) => {
      t.string('day', 10).notNullable();
      t.integer('entry_id').notNullable();
      for (const sum of [
        'pageviews',
        'api_reads',
        'visitors',
        'engagements',
        'engaged_ms',
        'events',
      ]) {
        t.bigInteger(sum).notNullable();
      }
      t.index(['day'], 'ua_content_monthly_day_idx');
    });
    await schema(knex).createTable('ua_dimension_monthly', (t) => {
      t.string('day', 10).notNullable();
      t.string('dimension', 16).notNullable();
      t.string('value', 2000).notNullable();
      t.bigInteger('pageviews').notNullable();
      t.bigInteger('visitors').notNullable();
      t.index(['day', 'dimension'], 'ua_dimension_monthly_day_idx');
    });
    await schema(knex).createTable('ua_month_summaries', (t) => {
      t.string('month', 10).notNullable().primary();
      // "day:version" of each of the month's days in ua_rollup_days when it was built.
      t.text('versions').notNullable();
      t.bigInteger('built_at').notNullable();
    });
  },
};
