import { describeIssues } from '../../server/src/collection/tracker-payload';
import {
  entryParamsSchema,
  rangeSchema,
  resolveRange,
  type Range,
} from '../../server/src/stats/stats-query';

const NOW = Date.parse('2026-12-07T15:30:00Z');

/** A range as the overview answers it: ISO instants, the interval and the number of days. */
const shown = (r: Range | string) =>
  typeof r === 'string'
    ? r
    : {
        from: new Date(r.from).toISOString(),
        to: new Date(r.to).toISOString(),
        interval: r.interval,
        days: r.days,
      };

/** The range of a query string, or the 400 message the stats routes answer it with. */
const resolve = (query: Record<string, string>) => {
  const parsed = rangeSchema.safeParse(query);
  return parsed.success ? shown(resolveRange(parsed.data, NOW)) : describeIssues(parsed.error);
};

describe('stats range: whole UTC days', () => {
  it('is the last 7 days, today included, without from and to', () => {
    expect(resolve({})).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-08T00:00:00.000Z',
      interval: 'day',
      days: 7,
    });
  });

  it('counts from the start of `from` to the end of `to`, both included', () => {
    expect(resolve({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      interval: 'day',
      days: 30,
    });
  });

  it('rounds instants to their UTC day, after applying their offset', () => {
    expect(resolve({ from: '2026-11-01T22:15:00Z', to: '2026-11-03T00:00:01Z' })).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-04T00:00:00.000Z',
    });
    // 01:00 in UTC+2 is still the 29th in UTC.
    expect(resolve({ from: '2026-11-20', to: '2026-11-30T01:00:00+02:00' })).toMatchObject({
      to: '2026-11-30T00:00:00.000Z',
    });
  });

  it('ends today with only `from`, and starts 7 days before `to` with only `to`', () => {
    expect(resolve({ from: '2026-12-05' })).toMatchObject({
      from: '2026-12-05T00:00:00.000Z',
      to: '2026-12-08T00:00:00.000Z',
      days: 3,
    });
    expect(resolve({ to: '2026-06-30' })).toMatchObject({
      from: '2026-06-24T00:00:00.000Z',
      to: '2026-07-01T00:00:00.000Z',
      days: 7,
    });
  });
});

describe('stats range: interval', () => {
  it('is hourly up to two days and daily beyond, unless asked', () => {
    expect(resolve({ from: '2026-12-07', to: '2026-12-07' })).toMatchObject({
      interval: 'hour',
      days: 1,
    });
    expect(resolve({ from: '2026-12-06', to: '2026-12-07' })).toMatchObject({ interval: 'hour' });
    expect(resolve({ from: '2026-12-05', to: '2026-12-07' })).toMatchObject({ interval: 'day' });
    expect(resolve({ from: '2026-12-07', to: '2026-12-07', interval: 'day' })).toMatchObject({
      interval: 'day',
    });
  });

  it('gives hours for at most 31 days', () => {
    expect(resolve({ from: '2026-11-01', to: '2026-12-01', interval: 'hour' })).toMatchObject({
      interval: 'hour',
      days: 31,
    });
    expect(resolve({ from: '2026-11-01', to: '2026-12-02', interval: 'hour' })).toBe(
      'interval=hour is available for ranges of at most 31 days'
    );
  });
});

describe('stats range: limits and refusals', () => {
  it('spans at most 800 days', () => {
    expect(resolve({ from: '2024-09-29', to: '2026-12-07' })).toMatchObject({ days: 800 });
    expect(resolve({ from: '2024-09-28', to: '2026-12-07' })).toBe(
      'the range may span at most 800 days'
    );
  });

  it('refuses a range that ends before it starts', () => {
    expect(resolve({ from: '2026-12-07', to: '2026-12-06' })).toBe('from must be before to');
  });

  it.each<[Record<string, string>, string]>([
    [{ from: 'yesterday' }, 'from: must be an ISO date such as 2026-11-28'],
    [{ to: '07/12/2026' }, 'to: must be an ISO date such as 2026-11-28'],
    [{ from: '2026-13-01' }, 'from: 2026-13-01 is not a real date'],
    [{ from: '2026-02-30' }, 'from: 2026-02-30 is not a real date'],
    [{ to: '2026-04-31T10:00:00Z' }, 'to: 2026-04-31T10:00:00Z is not a real date'],
    [{ from: '2026-02-28T25:00:00Z' }, 'from: 2026-02-28T25:00:00Z is not a real date'],
    [{ interval: 'week' }, 'interval: '],
    [
      { contentType: 'article' },
      'contentType: must be a content type uid such as api::article.article',
    ],
    [{ locale: 'en_US' }, 'locale: must be a locale code such as en or fr-CA'],
    [{ range: '7d' }, 'Unrecognized key: "range"'],
  ])('answers %j with a message naming the parameter', (query, message) => {
    expect(resolve(query)).toEqual(expect.stringContaining(message));
  });

  it('accepts the filters the dashboard sends with a range', () => {
    expect(
      rangeSchema.safeParse({ contentType: 'api::article.article', locale: 'fr-CA' }).success
    ).toBe(true);
  });
});

describe("an entry's stats path", () => {
  it('takes a content type uid and a document id, nothing else', () => {
    expect(
      entryParamsSchema.safeParse({ contentType: 'api::article.article', documentId: 'a1_B-2' })
        .success
    ).toBe(true);
    const refused = entryParamsSchema.safeParse({
      contentType: 'api::article.article',
      documentId: '../x',
    });
    expect(refused.success ? '' : describeIssues(refused.error)).toBe(
      'documentId: must be 1 to 64 letters, digits, "-" or "_"'
    );
  });
});
