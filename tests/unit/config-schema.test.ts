import { DEFAULT_CONFIG } from '../../server/src/config/defaults';
import { assertValidConfig } from '../../server/src/config/schema';

const withOverride = (override: Record<string, unknown>) => {
  const merged = structuredClone(DEFAULT_CONFIG) as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    merged[key] =
      value && typeof value === 'object' && !Array.isArray(value)
        ? { ...(merged[key] as object), ...value }
        : value;
  }
  return merged;
};

const messageFor = (override: Record<string, unknown>) => {
  try {
    assertValidConfig(withOverride(override));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('plugin configuration validator', () => {
  it('accepts the defaults', () => {
    expect(messageFor({})).toBeNull();
  });

  it.each([
    [{ retention: { rawDays: -1 } }, '"retention.rawDays" must be between 1 and 3650 (got -1)'],
    [{ retention: { rawDays: 2.5 } }, '"retention.rawDays" must be a whole number (got 2.5)'],
    [
      { retention: { rawDays: 90, aggregateDays: 30 } },
      '"retention.aggregateDays" must be at least retention.rawDays (got 30)',
    ],
    [{ sampleRate: 0 }, '"sampleRate" must be greater than 0 and at most 1 (got 0)'],
    [{ sampleRate: '1' }, '"sampleRate" must be a number (got "1")'],
    [{ enabled: 'yes' }, '"enabled" must be true or false (got "yes")'],
    [
      { excludePaths: ['/ok', 'bad'] },
      '"excludePaths.1" must be paths starting with "/" (got "bad")',
    ],
    [{ excludeContentTypes: ['article'] }, '"excludeContentTypes.0" must be content type uids'],
    [{ rollup: { cron: '61 * * * *' } }, '"rollup.cron" must be a valid cron rule'],
    [{ flush: { intervalMs: 0 } }, '"flush.intervalMs" must be between 1 and 60000 (got 0)'],
    [
      { metrics: { enabled: true, token: null } },
      '"metrics.token" is required when metrics.enabled is true',
    ],
    [
      { metrics: { enabled: true, token: 'short' } },
      '"metrics.token" must be at least 16 characters',
    ],
    [{ uptime: { slo: 100 } }, '"uptime.slo" must be a percentage above 0 and below 100 (got 100)'],
    [{ trackApiReed: true }, 'unknown key "trackApiReed"'],
    [{ flush: { intervalMs: 1000, maxBatch: 10, every: 3 } }, 'unknown key "flush.every"'],
  ])('rejects %j', (override, message) => {
    expect(messageFor(override)).toContain(message);
  });

  it('names every wrong key in one message', () => {
    const message = messageFor({ sampleRate: 2, retention: { rawDays: 0 } });
    expect(message).toContain('"sampleRate"');
    expect(message).toContain('"retention.rawDays"');
  });

  it('accepts a full, valid site configuration', () => {
    expect(
      messageFor({
        enabled: false,
        excludePaths: ['/api/private'],
        excludeContentTypes: ['api::page.page'],
        sampleRate: 0.25,
        rollup: { cron: '*/5 * * * *' },
        metrics: { enabled: true, token: 'a-long-enough-token' },
        instanceId: 'web-1',
      })
    ).toBeNull();
  });
});
