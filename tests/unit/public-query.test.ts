import { describeIssues } from '../../server/src/collection/tracker-payload';
import {
  MAX_POPULAR,
  entryViewsSchema,
  periodMeta,
  periodRange,
  popularQuerySchema,
} from '../../server/src/stats/public-query';

describe('Content API periods', () => {
  it('counts whole UTC days, today included', () => {
    const now = Date.parse('2026-12-07T15:30:00Z');
    const r = periodRange('7d', now);
    expect(new Date(r.from).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(new Date(r.to).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(periodRange('90d', now).days).toBe(90);
  });

  it('reads the query strings a frontend sends', () => {
    expect(popularQuerySchema.parse({})).toEqual({ period: '7d', limit: 10 });
    expect(popularQuerySchema.parse({ limit: '5', period: '90d' })).toEqual({
      period: '90d',
      limit: 5,
    });
    expect(popularQuerySchema.safeParse({ limit: '2.5' }).success).toBe(false);
    expect(popularQuerySchema.safeParse({ period: '1y' }).success).toBe(false);
    expect(popularQuerySchema.safeParse({ contentType: 'article' }).success).toBe(false);
  });
});

describe('Content API periods: limits and the dates shown', () => {
  const message = (query: Record<string, string>) => {
    const parsed = popularQuerySchema.safeParse(query);
    return parsed.success ? 'accepted' : describeIssues(parsed.error);
  };

  it('takes 1 to 50 entries, and says so', () => {
    expect(popularQuerySchema.parse({ limit: '1' }).limit).toBe(1);
    expect(popularQuerySchema.parse({ limit: String(MAX_POPULAR) }).limit).toBe(50);
    expect(message({ limit: '0' })).toBe('limit: must be between 1 and 50');
    expect(message({ limit: '51' })).toBe('limit: must be between 1 and 50');
    expect(message({ limit: 'ten' })).toBe('limit: must be a number');
    expect(message({ period: '1y' })).toBe('period: must be 7d, 30d or 90d');
  });

  it("names an entry's period by its first and last day, today included", () => {
    const now = Date.parse('2026-12-07T00:00:00Z');
    expect(periodMeta('30d', periodRange('30d', now))).toEqual({
      period: '30d',
      from: '2026-11-08',
      to: '2026-12-07',
    });
    expect(entryViewsSchema.parse({ contentType: 'api::page.page', documentId: 'x1' })).toEqual({
      contentType: 'api::page.page',
      documentId: 'x1',
      period: '7d',
    });
    expect(
      entryViewsSchema.safeParse({ contentType: 'api::page.page', documentId: 'x1', limit: '3' })
        .success
    ).toBe(false);
  });
});
