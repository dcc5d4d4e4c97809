import { periodRange, popularQuerySchema } from '../../server/src/stats/public-query';

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
