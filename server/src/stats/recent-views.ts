import type { Knex } from 'knex';

/** Raw views (pageviews and Content API reads) since `since`, aliased `e`. */
const recentViews = (knex: Knex, since: number) =>
  knex({ e: 'ua_events' }).where('e.ts', '>=', since).whereIn('e.kind', ['pageview', 'api_read']);

/** Views and distinct visitors since `since`, from the raw rows (the live figures). */
export async function recentTotals(knex: Knex, since: number) {
  const [row] = await recentViews(knex, since).select(
    knex.raw('COALESCE(SUM(e.hits), 0) AS pageviews'),
    knex.raw('COUNT(DISTINCT e.visitor_hash) AS visitors')
  );
  return row as { pageviews: unknown; visitors: unknown } | undefined;
}

/**
 * The `limit` entries most viewed since `since`, with their views and distinct visitors: counted
 * per entry id, then named from the entry dictionary (where an absent locale is '').
 */
export async function recentTopEntries(knex: Knex, since: number, limit: number) {
  const top = recentViews(knex, since)
    .whereNotNull('e.entry_id')
    .select(
      'e.entry_id',
      knex.raw('SUM(e.hits) AS views'),
      knex.raw('COUNT(DISTINCT e.visitor_hash) AS visitors')
    )
    .groupBy('e.entry_id');
  const rows: {
    content_type: string;
    document_id: string;
    locale: string | null;
    views: unknown;
    visitors: unknown;
  }[] = await knex
    .from(top.as('t'))
    .join({ n: 'ua_entries' }, 'n.id', 't.entry_id')
    .where('n.content_type', '<>', '')
    .where('n.document_id', '<>', '')
    .select(
      'n.content_type',
      'n.document_id',
      knex.raw("NULLIF(n.locale, '') AS locale"),
      't.views',
      't.visitors'
    )
    .orderBy('t.views', 'desc')
    .limit(limit);
  return rows;
}
