import { z } from 'zod';
import { validate as isValidCron } from 'node-cron';
import { HOUR_MS } from '../../../shared/time';

const cronRule = z.string().refine((rule) => isValidCron(rule), {
  message: 'must be a valid cron rule such as "* * * * *" (minute hour day month weekday)',
});

const positiveInt = (max: number) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: `must be between 1 and ${max}` })
    .max(max, { message: `must be between 1 and ${max}` });

const uid = z.string().regex(/^(api|plugin|admin)::[\w-]+\.[\w-]+$/, {
  message: 'must be content type uids such as "api::article.article"',
});

/** A site the tracking endpoints accept events for: a hostname, `*.` + a domain, or a Umami website id. */
const allowedSite = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    {
      message:
        'must be hostnames such as "example.com" or "*.example.com", or Umami website ids (UUIDs)',
    }
  );

const compiles = (source: string) => {
  try {
    new RegExp(source, 'g');
    return true;
  } catch {
    return false;
  }
};
const scrubPattern = z
  .string()
  .min(1, { message: 'must be regular expressions' })
  .max(500, { message: 'must be regular expressions of at most 500 characters' })
  .refine(compiles, { message: 'must be valid regular expressions' });

/** The plugin's configuration: every key, its type and its allowed range. */
export const configSchema = z
  .strictObject({
    enabled: z.boolean({ message: 'must be true or false' }),
    trackApiReads: z.boolean({ message: 'must be true or false' }),
    respectDoNotTrack: z.boolean({ message: 'must be true or false' }),
    excludePaths: z.array(
      z.string().startsWith('/', { message: 'must be paths starting with "/"' })
    ),
    excludeContentTypes: z.array(uid),
    listViewColumn: z.boolean({ message: 'must be true or false' }),
    sampleRate: z
      .number({ message: 'must be a number' })
      .gt(0, { message: 'must be greater than 0 and at most 1' })
      .max(1, { message: 'must be greater than 0 and at most 1' }),
    flush: z.strictObject({
      intervalMs: positiveInt(60_000),
      maxBatch: positiveInt(10_000),
    }),
    buffer: z.strictObject({ maxEvents: positiveInt(10_000_000) }),
    rateLimit: z.strictObject({
      perVisitorPerMinute: positiveInt(100_000_000),
      perAddressPerMinute: positiveInt(1_000_000_000).nullable(),
    }),
    allowedHostnames: z.array(allowedSite),
    rollup: z.strictObject({ cron: cronRule }),
    retention: z.strictObject({
      rawDays: positiveInt(3650),
      aggregateDays: positiveInt(36500),
      cron: cronRule,
    }),
    metrics: z.strictObject({
      enabled: z.boolean({ message: 'must be true or false' }),
      token: z.string().min(16, { message: 'must be at least 16 characters' }).nullable(),
    }),
    system: z.strictObject({ sampleIntervalMs: z.number().int().min(1000).max(HOUR_MS) }),
    monitoring: z.strictObject({
      enabled: z.boolean({ message: 'must be true or false' }),
      excludePaths: z.array(
        z.string().startsWith('/', { message: 'must be paths starting with "/"' })
      ),
    }),
    uptime: z.strictObject({
      slo: z
        .number({ message: 'must be a number' })
        .gt(0, { message: 'must be a percentage above 0 and below 100' })
        .lt(100, { message: 'must be a percentage above 0 and below 100' }),
    }),
    privacy: z.strictObject({
      scrubPatterns: z.array(scrubPattern).max(20, { message: 'may hold at most 20 patterns' }),
    }),
    instanceId: z
      .string()
      .min(1)
      .max(128, { message: 'must be at most 128 characters' })
      .nullable(),
  })
  .superRefine((config, ctx) => {
    if (config.metrics.enabled && !config.metrics.token) {
      ctx.addIssue({
        code: 'custom',
        path: ['metrics', 'token'],
        message: 'is required when metrics.enabled is true (a bearer token of 16+ characters)',
      });
    }
    const { perVisitorPerMinute, perAddressPerMinute } = config.rateLimit;
    if (perAddressPerMinute !== null && perAddressPerMinute < perVisitorPerMinute) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimit', 'perAddressPerMinute'],
        message: 'must be at least rateLimit.perVisitorPerMinute (or null: ten times it)',
      });
    }
    if (config.retention.aggregateDays < config.retention.rawDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['retention', 'aggregateDays'],
        message: 'must be at least retention.rawDays',
      });
    }
  });

export type PluginConfig = z.infer<typeof configSchema>;

/** A value as an error message shows it ("nothing" when absent). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The value at `path` (as zod reports it) inside `input`, or undefined. */
export function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * Checks a merged configuration and throws one message that names every wrong key,
 * what it got and what is allowed. Strapi prefixes it with the plugin name and stops.
 */
export function assertValidConfig(config: unknown): asserts config is PluginConfig {
  const result = configSchema.safeParse(config);
  if (result.success) return;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${issue.path.join('.')}.` : '';
      return issue.keys.map((key) => `unknown key "${where}${key}"`).join('; ');
    }
    const key = issue.path.map(String).join('.');
    // Array items are reported by their list's key, e.g. excludePaths.1.
    const got = describeValue(valueAt(config, issue.path));
    return `"${key}" ${issue.message} (got ${got})`;
  });
  throw new Error(problems.join('; '));
}
