import { MinuteRecorder } from '../../server/src/monitoring/minute-recorder';
import { isExcluded } from '../../server/src/monitoring/request-timing';
import { healthQuerySchema, resolveHealthRange } from '../../server/src/monitoring/health-range';
import { LogHistogram } from '../../server/src/monitoring/log-histogram';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/time';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('MinuteRecorder', () => {
  it('keeps one series per minute, method, route and status class', () => {
    const r = new MinuteRecorder();
    r.record(T0 + 1_000, 'GET', '/api/a/:id', 200, 10);
    r.record(T0 + 2_000, 'GET', '/api/a/:id', 204, 30);
    r.record(T0 + 3_000, 'GET', '/api/a/:id', 503, 50);
    r.record(T0 + 4_000, 'POST', '/api/a/:id', 201, 5);
    // The current minute is not handed out until it closes (or includeCurrent).
    expect(r.take(T0 + 59_000)).toEqual([]);
    r.record(T0 + 61_000, 'GET', '/api/a/:id', 200, 7);
    const rows = r.take(T0 + 61_500);
    expect(rows).toHaveLength(3);
    const ok = rows.find((x) => x.method === 'GET' && x.status_class === 2)!;
    expect(ok).toMatchObject({
      minute: T0,
      count: 2,
      error_count: 0,
      sum_ms: 40,
      min_ms: 10,
      max_ms: 30,
    });
    expect(LogHistogram.parse(ok.histogram).total).toBe(2);
    expect(rows.find((x) => x.status_class === 5)).toMatchObject({ count: 1, error_count: 1 });
    const next = r.take(T0 + 200_000, true);
    expect(next).toEqual([expect.objectContaining({ minute: T0 + MINUTE_MS, count: 1 })]);
    expect(r.counters.recorded).toBe(5);
  });

  it('keeps rows that could not be written, within a bound', () => {
    const r = new MinuteRecorder();
    for (let m = 0; m < 70; m += 1) r.record(T0 + m * MINUTE_MS, 'GET', '/x', 200, 1);
    const rows = r.take(T0 + 70 * MINUTE_MS);
    expect(rows).toHaveLength(60); // 70 closed minutes, at most 60 kept
    expect(r.counters.droppedMinutes).toBe(10);
    r.putBack(rows);
    expect(r.pendingMinutes()).toBe(60);
    const again = r.take(T0 + 70 * MINUTE_MS);
    expect(again.map((x) => x.minute)).toEqual(rows.map((x) => x.minute));
    expect(again.map((x) => x.histogram)).toEqual(rows.map((x) => x.histogram));
  });
});

describe('isExcluded', () => {
  it('matches a path and what is below it, not a longer name', () => {
    expect(isExcluded('/_health', ['/_health'])).toBe(true);
    expect(isExcluded('/_health/x', ['/_health'])).toBe(true);
    expect(isExcluded('/_healthy', ['/_health'])).toBe(false);
    expect(isExcluded('/api/x', [])).toBe(false);
  });
});

describe('resolveHealthRange', () => {
  const now = Date.UTC(2026, 5, 1, 10, 30, 15);
  it('defaults to the last 24 hours by hour, aligned', () => {
    const r = resolveHealthRange({}, now);
    expect(r).toMatchObject({
      interval: 'hour',
      from: Date.UTC(2026, 4, 31, 10),
      to: Date.UTC(2026, 5, 1, 11),
      asked: { from: now - DAY_MS, to: now },
    });
  });
  it('picks minutes for short ranges and days for long ones', () => {
    expect(resolveHealthRange({ from: String(now - HOUR_MS) }, now)).toMatchObject({
      interval: 'minute',
    });
    expect(resolveHealthRange({ from: '2026-01-01T00:00:00Z' }, now)).toMatchObject({
      interval: 'day',
    });
  });
  it('refuses reversed, too long and too fine ranges', () => {
    expect(resolveHealthRange({ from: '2026-06-02T00:00:00Z' }, now)).toMatch(/before/);
    expect(resolveHealthRange({ from: '2020-01-01T00:00:00Z' }, now)).toMatch(/800 days/);
    expect(resolveHealthRange({ from: '2026-05-01T00:00:00Z', interval: 'minute' }, now)).toMatch(
      /at most/
    );
  });
  it('refuses a day that is not in the calendar, which Date.parse would read as March', () => {
    expect(healthQuerySchema.safeParse({ from: '2026-02-28T10:00:00Z' }).success).toBe(true);
    expect(healthQuerySchema.safeParse({ from: '2026-02-30T10:00:00Z' }).success).toBe(false);
    expect(healthQuerySchema.safeParse({ to: '2026-04-31' }).success).toBe(false);
  });
});
