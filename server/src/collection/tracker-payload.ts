import { z } from 'zod';
import { DAY_MS } from '../../../shared/time';
import { contentTypeUid, documentId, locale } from './entry-ref';
import { cleanProps } from './event-props';
import type { Hit } from './event-row';
import { parsePageUrl, referrerHost } from './page-url';

const schema = z
  .strictObject({
    type: z.enum(['pageview', 'event', 'engagement']),
    url: z.string().min(1).max(4096),
    referrer: z.string().max(4096).nullish(),
    name: z.string().trim().min(1).max(120).optional(),
    props: z.unknown().optional(),
    contentType: contentTypeUid.optional(),
    documentId: documentId.optional(),
    locale: locale.optional(),
    engagedMs: z.number().int().min(0).max(DAY_MS).optional(),
    scrollDepth: z.number().int().min(0).max(100).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.type === 'event' && !p.name) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'is required for type "event"' });
    }
    if (p.type !== 'event' && (p.name !== undefined || p.props !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'name and props only go with type "event"',
      });
    }
    if (p.type !== 'engagement' && (p.engagedMs !== undefined || p.scrollDepth !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['engagedMs'],
        message: 'engagedMs and scrollDepth only go with type "engagement"',
      });
    }
    if ((p.contentType === undefined) !== (p.documentId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['documentId'],
        message: 'contentType and documentId go together',
      });
    }
  });

export type ParseResult = { ok: true; hit: Hit } | { ok: false; message: string };

export const describeIssues = (error: z.ZodError): string =>
  error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message
    )
    .join('; ');

/** Validates a first-party tracker event and turns it into a hit. */
export function parseTrackerPayload(input: unknown, now: number): ParseResult {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const p = parsed.data;
  const page = parsePageUrl(p.url);
  if (!page)
    return {
      ok: false,
      message: 'url: must be an http(s) URL with a path of at most 2000 characters',
    };
  const props = cleanProps(p.props);
  if ('error' in props) return { ok: false, message: `props: ${props.error}` };
  return {
    ok: true,
    hit: {
      kind: p.type,
      source: 'tracker',
      ts: now,
      path: page.path,
      referrerHost: referrerHost(p.referrer, page.host),
      utmSource: page.utmSource,
      utmMedium: page.utmMedium,
      utmCampaign: page.utmCampaign,
      contentType: p.contentType ?? null,
      documentId: p.documentId ?? null,
      locale: p.locale ?? null,
      eventName: p.type === 'event' ? p.name : null,
      props: props.props,
      engagedMs: p.engagedMs ?? null,
      scrollDepth: p.scrollDepth ?? null,
    },
  };
}
