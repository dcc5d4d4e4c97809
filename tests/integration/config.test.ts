import { bootApp, type TestApp } from '../helpers/strapi';

describe('plugin configuration at startup', () => {
  it('boots with no configuration and applies the defaults', async () => {
    const app: TestApp = await bootApp();
    try {
      const config = app.strapi.config.get('plugin::usage-analytics') as Record<string, unknown>;
      expect(config).toMatchObject({
        enabled: true,
        trackApiReads: true,
        respectDoNotTrack: true,
        flush: { intervalMs: 1000, maxBatch: 1000 },
        retention: { rawDays: 30, aggregateDays: 730 },
        metrics: { enabled: false, token: null },
      });
      const fromPlugin = app.logs.filter(
        (l) => (l.level === 'warn' || l.level === 'error') && /usage-analytics/.test(l.message)
      );
      expect(fromPlugin).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('keeps a site override and fills in the rest', async () => {
    const app = await bootApp({ pluginConfig: { retention: { rawDays: 7 }, sampleRate: 0.5 } });
    try {
      expect(app.strapi.config.get('plugin::usage-analytics.retention')).toEqual({
        rawDays: 7,
        aggregateDays: 730,
        cron: '17 3 * * *',
      });
      expect(app.strapi.config.get('plugin::usage-analytics.sampleRate')).toBe(0.5);
    } finally {
      await app.stop();
    }
  });

  it.each([
    [{ retention: { rawDays: -1 } }, '"retention.rawDays" must be between 1 and 3650 (got -1)'],
    [{ retentoin: { rawDays: 5 } }, 'unknown key "retentoin"'],
    [{ rollup: { cron: 'every minute' } }, '"rollup.cron" must be a valid cron rule'],
    [{ metrics: { enabled: true } }, '"metrics.token" is required when metrics.enabled is true'],
  ])('stops startup on %j with a clear message', async (pluginConfig, message) => {
    const error = await bootApp({ pluginConfig }).then(
      () => new Error('the app booted'),
      (e: Error) => e
    );
    expect(error.message).toContain('Error regarding usage-analytics config: ');
    expect(error.message).toContain(message);
  });
});
