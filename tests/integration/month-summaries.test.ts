import type { Knex } from 'knex';
import { insertRows } from '../../server/src/collection/row-writer';
import { lastDayOf } from '../../server/src/rollup/month-summaries';
import { rawEventRow, storedSums } from '../helpers/aggregates';
import { adminSession, overviewAs, type AdminSession } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/strapi';
import { DAY_MS, isoDay } from '../../shared/time';

/** The first day of the month `back` months before this one. */
const monthsAgo = (back: number) => {
  const now = new Date();
  return isoDay(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
};

describe('month summaries: long ranges read whole months from one row per key', () => {
  let app: TestApp;
  let knex: Knex;
  let admin: AdminSession;
  const service = (name: string) => app.strapi.plugin('usage-analytics').service(name);
  // Always a whole month inside the range read below, however the calendar falls today.
  const month = monthsAgo(2);
  const before = monthsAgo(3);
  const on = (first: string, day: number, time = '10:00') =>
    Date.parse(`${first.slice(0, 8)}${String(day).padStart(2, '0')}T${time}:00Z`);
  const view = (ts: number, visitor: string, documentId: string) =>
    rawEventRow({
      ts,
      kind: 'pageview',
      content_type: 'api::article.article',
      document_id: documentId,
      path: `/p/${documentId}`,
      referrer_host: 'news.example',
      visitor_hash: visitor.repeat(16),
    });
  const summed = (table: string, where: (q: Knex.QueryBuilder) => Knex.QueryBuilder) =>
    where(knex(table))
      .select(
        'entry_id',
        knex.raw('SUM(pageviews) AS pageviews'),
        knex.raw('SUM(visitors) AS visitors')
      )
      .groupBy('entry_id')
      .orderBy('entry_id')
      .then((rows: Array<Record<string, unknown>>) =>
        rows.map((r) => ({
          entry: Number(r.entry_id),
          pageviews: Number(r.pageviews),
          visitors: Number(r.visitors),
        }))
      );
  /** Changes the views of every entry in `first`'s month summary by `by`. */
  const addToSummaryViews = (first: string, by: number) =>
    knex('ua_content_monthly')
      .where({ day: first })
      .update({ pageviews: knex.raw('pageviews + ?', [by]) });
  /** Views and visitors per document, and views per referrer, from the 15th of `before` to today. */
  const overview = async (from = `${before.slice(0, 8)}15`, to = isoDay(Date.now())) => {
    service('stats').forgetCached();
    const data = await overviewAs(app, admin, from, to);
    return {
      views: data.totals.pageviews,
      content: Object.fromEntries(
        data.topContent.map((r) => [r.documentId, `${r.views} views, ${r.visitors} visitors`])
      ),
      referrers: Object.fromEntries(data.topReferrers.map((r) => [r.value, r.pageviews])),
    };
  };

  beforeAll(async () => {
    app = await bootApp();
    knex = app.strapi.db.connection as unknown as Knex;
    admin = await adminSession(app, 'super-admin');
  });
  afterAll(() => app?.stop());

  const expected = {
    views: 6,
    content: { story: '4 views, 3 visitors', other: '2 views, 2 visitors' },
    referrers: { 'news.example': 6 },
  };

  it('summarizes a month once its days are closed, and the overview reads the summary', async () => {
    await insertRows(knex, 'ua_events', [
      // Before the range read below: in its first month's summary, not in the overview.
      view(on(before, 5), 'e', 'other'),
      view(on(before, 20), 'a', 'story'),
      view(on(month, 3), 'a', 'story'),
      view(on(month, 3, '11:00'), 'a', 'story'),
      view(on(month, 3), 'b', 'other'),
      view(on(month, 18), 'b', 'story'),
      view(Date.now() - 60_000, 'c', 'other'),
    ]);
    await service('rollup').runOnce();

    const [summary] = await knex('ua_month_summaries').where({ month }).select('versions');
    // Built from the versions of the month's days the rollup added to (each day its batch spans).
    const recorded = String(summary?.versions).split(',');
    expect(recorded).toEqual(
      expect.arrayContaining([`${month.slice(0, 8)}03:1`, `${month.slice(0, 8)}18:1`])
    );
    expect(recorded.filter((d) => !d.startsWith(month.slice(0, 8)))).toEqual([]);
    const daily = await summed('ua_content_daily', (q) =>
      q.whereBetween('day', [month, lastDayOf(month)])
    );
    expect(daily.map((r) => r.pageviews).sort()).toEqual([1, 3]);
    expect(await summed('ua_content_monthly', (q) => q.where('day', month))).toEqual(daily);
    expect(
      await storedSums(
        knex,
        'ua_dimension_monthly',
        ['dimension', 'value'],
        ['pageviews', 'visitors'],
        {
          day: month,
          dimension: 'referrer',
        }
      )
    ).toEqual([{ dimension: 'referrer', value: 'news.example', pageviews: 4, visitors: 3 }]);
    expect(await overview()).toEqual(expected);

    // The month's views come from its summary: a figure changed there shows.
    await knex('ua_content_monthly').where({ day: month }).update({ pageviews: 100 });
    expect((await overview()).content).toEqual({
      story: '101 views, 3 visitors',
      other: '101 views, 2 visitors',
    });
    // The range's first month (from the 15th) is its summary less the days before the 15th.
    await addToSummaryViews(before, 10);
    expect((await overview()).content).toEqual({
      story: '111 views, 3 visitors',
      other: '111 views, 2 visitors',
    });
    await addToSummaryViews(before, -10);
  });

  it('reads the daily rows again as soon as the rollup adds to the month, and summarizes it anew', async () => {
    await insertRows(knex, 'ua_events', [view(on(month, 18, '12:00'), 'd', 'other')]);
    // Rolled up and summarized again in one run: the day is closed, the late rows land on it.
    const versions = (await knex('ua_month_summaries').where({ month }).first())?.versions;
    await service('rollup').runOnce();
    expect((await knex('ua_month_summaries').where({ month }).first())?.versions).not.toBe(
      versions
    );
    const more = {
      views: 7,
      content: { story: '4 views, 3 visitors', other: '3 views, 3 visitors' },
      referrers: { 'news.example': 7 },
    };
    expect(await overview()).toEqual(more);
    // A range inside the month, ending before its late day: the summary less the days outside.
    const inside = [`${month.slice(0, 8)}02`, `${month.slice(0, 8)}17`] as const;
    const insideFigures = {
      views: 3,
      content: { story: '2 views, 1 visitors', other: '1 views, 1 visitors' },
      referrers: { 'news.example': 3 },
    };
    expect(await overview(...inside)).toEqual(insideFigures);
    await addToSummaryViews(month, 10);
    expect((await overview(...inside)).content).toEqual({
      story: '12 views, 1 visitors',
      other: '11 views, 1 visitors',
    });

    // Stale (a version it did not see): the overview sums the daily rows instead.
    await knex('ua_content_monthly').where({ day: month }).update({ pageviews: 100 });
    await knex('ua_month_summaries').where({ month }).update({ versions: 'stale' });
    expect(await overview()).toEqual(more);
    expect(await overview(...inside)).toEqual(insideFigures);
  });

  it('drops the summaries of months retention deleted days of', async () => {
    // As if aggregateDays (730) had passed for the days before the 16th of `before`.
    const asOf = on(before, 16, '12:00') + 730 * DAY_MS;
    await service('retention').runOnce(asOf);
    expect((await knex('ua_month_summaries').select('month')).map((r) => r.month)).not.toContain(
      before
    );
    expect(
      Number((await knex('ua_content_monthly').where({ day: before }).count({ n: '*' }).first())?.n)
    ).toBe(0);
    expect(await knex('ua_month_summaries').where({ month }).first()).toBeTruthy();
  });
});
