import { DAY_MS } from '../../../shared/time';
import { cleanProps } from './event-props';
import type { Hit } from './event-row';
import { parsePageUrl, referrerHost } from './page-url';

/** Plausible's 400 body: `{ errors: { field: [message] } }`. */
export type PlausibleErrors = Record<string, string[]>;
export type PlausibleResult = { ok: true; hit: Hit } | { ok: false; errors: PlausibleErrors };

const MAX_URL_BYTES = 2000;
const MAX_NAME = 120;
// Plausible accepts up to 30 days; one page engaged for more than a day is not a real reading.
const MAX_ENGAGED_MS = DAY_MS;

const first = (body: Record<string, unknown>, ...keys: string[]): unknown => {
  for (const key of keys) if (body[key] !== undefined && body[key] !== null) return body[key];
  return undefined;
};

const asInteger = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return null;
};

/**
 * Plausible's Events API body, short or long keys, with Plausible's own rules: `n` and `u`
 * required, the whole URL ≤ 2000 bytes and not `data:`, `d` a comma-separated domain list
 * (defaults to the URL's host), props from `m`/`meta`/`p`/`props` (object or JSON string, 30
 * pairs kept, keys ≤ 300 bytes, values ≤ 2000 bytes), `h: 1` keeps the #fragment, engagement
 * events need a valid `sd` or `e`. Other keys (`v`, `w`, `i`, `$`) are accepted and not stored.
 */
export function parsePlausiblePayload(input: unknown, now: number): PlausibleResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: { request: ['Unable to parse request body as json'] } };
  }
  const body = input as Record<string, unknown>;
  const errors: PlausibleErrors = {};

  const rawName = first(body, 'n', 'name');
  let name: string | null = null;
  if (rawName === undefined) errors.event_name = ['is required'];
  else if (typeof rawName === 'number' && Number.isInteger(rawName)) name = String(rawName);
  else if (typeof rawName === 'string' && rawName.trim()) name = rawName;
  else errors.event_name = ['is invalid'];
  if (name && name.length > MAX_NAME)
    errors.event_name = [`should be at most ${MAX_NAME} character(s)`];

  const rawUrl = first(body, 'u', 'url');
  const keepHash = asInteger(first(body, 'h', 'hashMode')) === 1;
  let page: ReturnType<typeof parsePageUrl> = null;
  if (rawUrl === undefined) errors.url = ['is required'];
  else if (typeof rawUrl !== 'string' || Buffer.byteLength(rawUrl) > MAX_URL_BYTES)
    errors.url = ['must be a valid url'];
  else if (/^\s*data:/i.test(rawUrl)) errors.url = ['scheme is not allowed'];
  else {
    page = parsePageUrl(rawUrl, { keepHash });
    if (!page) errors.url = ['must be a valid url'];
  }

  const rawDomain = first(body, 'd', 'domain');
  // The domain only names the site in Plausible; this plugin serves one site and stores none.
  if (rawDomain !== undefined) {
    const domains = typeof rawDomain === 'string' ? rawDomain.split(',').map((d) => d.trim()) : [];
    if (!domains[0]) errors.domain = ["can't be blank"];
  }

  const props = cleanProps(parseMaybeJson(first(body, 'm', 'meta', 'p', 'props')), {
    overflow: 'truncate',
    stringify: true,
  });
  if ('error' in props) {
    errors.props = /bytes/.test(props.error)
      ? ['keys should have at most 300 bytes and values 2000 bytes']
      : [];
    if (!errors.props.length) delete errors.props;
  }

  let engagedMs: number | null = null;
  let scrollDepth: number | null = null;
  if (name === 'engagement') {
    const sd = asInteger(body.sd);
    const e = asInteger(body.e);
    if (sd !== null && sd >= 0) scrollDepth = Math.min(100, sd);
    if (e !== null && e >= 0 && e <= MAX_ENGAGED_MS) engagedMs = e;
    if (scrollDepth === null && engagedMs === null) {
      errors.event_name = [
        "engagement event requires a valid integer value for at least one of 'sd' or 'e' fields",
      ];
    }
  }

  if (Object.keys(errors).length || !page || !name) return { ok: false, errors };
  const referrer = first(body, 'r', 'referrer');
  const kind = name === 'pageview' ? 'pageview' : name === 'engagement' ? 'engagement' : 'event';
  return {
    ok: true,
    hit: {
      kind,
      source: 'plausible',
      ts: now,
      path: page.path,
      referrerHost:
        typeof referrer === 'string' ? referrerHost(referrer.slice(0, 2000), page.host) : null,
      utmSource: page.utmSource,
      utmMedium: page.utmMedium,
      utmCampaign: page.utmCampaign,
      eventName: kind === 'event' ? name : null,
      props: kind === 'event' && 'props' in props ? props.props : null,
      engagedMs,
      scrollDepth,
    },
  };
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const parsed = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
