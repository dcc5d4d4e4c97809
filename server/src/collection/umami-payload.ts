import { z } from 'zod';
import { cleanProps } from './event-props';
import type { Hit } from './event-row';
import { parsePageUrl, referrerHost } from './page-url';
import { describeIssues } from './tracker-payload';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'Invalid UUID');
const vital = (max: number) => z.number().min(0).max(max).optional();

// Umami's /api/send schema: unknown keys are ignored, known ones checked with Umami's limits.
const schema = z.object({
  type: z.enum(['event', 'identify', 'performance']),
  payload: z
    .object({
      website: uuid.optional(),
      link: uuid.optional(),
      pixel: uuid.optional(),
      data: z.record(z.string(), z.unknown()).optional(),
      hostname: z.string().max(100).optional(),
      language: z.string().max(35).optional(),
      referrer: z.string().max(4096).optional(),
      url: z.string().max(4096).optional(),
      screen: z.string().max(11).optional(),
      title: z.string().max(4096).optional(),
      name: z.string().max(50).optional(),
      tag: z.string().max(50).optional(),
      id: z.string().max(4096).optional(),
      timestamp: z.coerce.number().int().optional(),
      lcp: vital(60_000),
      inp: vital(60_000),
      fcp: vital(60_000),
      ttfb: vital(60_000),
      cls: vital(100),
    })
    .refine((p) => [p.website, p.link, p.pixel].filter(Boolean).length === 1, {
      message: 'exactly one of website, link or pixel is required',
    }),
});

export type UmamiResult = { ok: true; hit: Hit | null } | { ok: false; message: string };

/**
 * One Umami `{ type, payload }`. An `event` without a name is a pageview, with a name a custom
 * event (its `data` kept as props). `identify` and `performance` are valid but store nothing:
 * this plugin keeps no user ids and no web vitals. The payload's `id`, `ip` and `userAgent` are
 * never used.
 */
export function parseUmamiPayload(input: unknown, now: number): UmamiResult {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const { type, payload } = parsed.data;
  if (type !== 'event') return { ok: true, hit: null };
  const hostname = (payload.hostname ?? 'localhost').toLowerCase();
  const page = parsePageUrl(payload.url ?? '/', { base: `https://${hostname}` });
  if (!page) return { ok: false, message: 'payload.url: must be a URL or a path' };
  const props = cleanProps(payload.data);
  if ('error' in props) return { ok: false, message: `payload.data: ${props.error}` };
  const name = payload.name?.trim() || null; // an empty name is a pageview, as in Umami
  return {
    ok: true,
    hit: {
      kind: name ? 'event' : 'pageview',
      source: 'umami',
      ts: now,
      path: page.path,
      referrerHost: referrerHost(payload.referrer, page.host),
      utmSource: page.utmSource,
      utmMedium: page.utmMedium,
      utmCampaign: page.utmCampaign,
      eventName: name,
      props: name ? props.props : null,
    },
  };
}
