import { DEFAULT_CONFIG } from '../../server/src/config/defaults';
import {
  applyOverrides,
  checkOverrides,
  parseUpdate,
  pickSettings,
  usableOverrides,
} from '../../server/src/config/editable-settings';

describe('editable settings', () => {
  it('applies overrides without touching the file config, and returns it as is when none', () => {
    expect(applyOverrides(DEFAULT_CONFIG, {})).toBe(DEFAULT_CONFIG);
    const config = applyOverrides(DEFAULT_CONFIG, {
      sampleRate: 0.25,
      'retention.rawDays': 7,
      'metrics.enabled': true,
    });
    expect(config.sampleRate).toBe(0.25);
    expect(config.retention).toEqual({ ...DEFAULT_CONFIG.retention, rawDays: 7 });
    expect(config.metrics).toEqual({ enabled: true, token: null });
    expect(DEFAULT_CONFIG.retention.rawDays).toBe(30);
    expect(DEFAULT_CONFIG.metrics.enabled).toBe(false);
    expect(pickSettings(config)['retention.rawDays']).toBe(7);
  });

  it('parses a body of known keys, null meaning "back to the file value"', () => {
    expect(parseUpdate({ sampleRate: 0.5, excludePaths: null })).toEqual({
      ok: true,
      update: { sampleRate: 0.5, excludePaths: null },
    });
    expect(parseUpdate({ 'retention.cron': '* * * * *' })).toEqual({
      ok: false,
      issues: [
        {
          key: 'retention.cron',
          message: expect.stringContaining('is not a setting that can be changed here'),
        },
      ],
    });
    expect(parseUpdate('sampleRate=1')).toEqual({
      ok: false,
      issues: [{ key: null, message: 'the body must be a JSON object of settings' }],
    });
  });

  it('reports the metrics token rule on metrics.enabled, as config/plugins is where it is set', () => {
    expect(
      checkOverrides(DEFAULT_CONFIG, { 'metrics.enabled': true }, ['metrics.enabled'])
    ).toEqual([
      {
        key: 'metrics.enabled',
        message:
          'can be turned on only when metrics.token (a bearer token of 16+ characters) is set in config/plugins',
      },
    ]);
  });

  it('reports a rule across keys on the key being changed', () => {
    const overrides = { 'retention.aggregateDays': 10 };
    expect(checkOverrides(DEFAULT_CONFIG, overrides, ['retention.aggregateDays'])).toEqual([
      { key: 'retention.aggregateDays', message: 'must be at least retention.rawDays (got 10)' },
    ]);
  });

  it('leaves out stored values that no longer fit the file config, keeping the others', () => {
    const file = {
      ...DEFAULT_CONFIG,
      retention: { ...DEFAULT_CONFIG.retention, aggregateDays: 60 },
    };
    const { overrides, ignored } = usableOverrides(file, {
      'retention.rawDays': 90,
      trackApiReads: false,
      sampleRate: 5,
      gone: true,
    });
    expect(overrides).toEqual({ trackApiReads: false });
    expect(ignored.map((i) => i.key).sort()).toEqual(['gone', 'retention.rawDays', 'sampleRate']);
    expect(usableOverrides(file, null)).toEqual({ overrides: {}, ignored: [] });
  });
});
