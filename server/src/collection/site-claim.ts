import type { SiteClaim } from './site-allow-list';

/**
 * The site an event names, read from a body its endpoint's parser has already accepted: only
 * called when an allow-list is configured, so it costs nothing otherwise.
 */
type Body = Record<string, unknown>;

const asBody = (value: unknown): Body =>
  typeof value === 'object' && value !== null ? (value as Body) : {};

// The host of an ordinary absolute URL, read without a URL parser; anything else (user info,
// non-ASCII, percent-encoding) goes through `new URL`, which normalises it.
const PLAIN_HOST = /^https?:\/\/([a-z0-9.-]+)(?::\d*)?(?:[/?#]|$)/i;

function hostOf(url: unknown, base?: string): string[] {
  if (typeof url !== 'string') return [];
  const plain = PLAIN_HOST.exec(url);
  if (plain) return [plain[1].toLowerCase()];
  try {
    return [new URL(url, base).hostname];
  } catch {
    return [];
  }
}

/** First-party tracker: the page URL's host. */
export const trackerSite = (body: unknown): SiteClaim => ({ hostnames: hostOf(asBody(body).url) });

/** Plausible: the `d` (`domain`) list, or the URL's host when there is none, as Plausible does. */
export function plausibleSite(body: unknown): SiteClaim {
  const b = asBody(body);
  const domain = b.d ?? b.domain;
  if (typeof domain === 'string' && domain.trim()) {
    return { hostnames: domain.split(',').map((d) => d.trim()) };
  }
  return { hostnames: hostOf(b.u ?? b.url) };
}

/** Umami: the page's host (`hostname`, or an absolute `url`'s) and the `website` id. */
export function umamiSite(item: unknown): SiteClaim {
  const payload = asBody(asBody(item).payload);
  const hostname = typeof payload.hostname === 'string' ? payload.hostname : null;
  const website = typeof payload.website === 'string' ? payload.website : null;
  return {
    hostnames: hostOf(payload.url ?? '/', hostname ? `https://${hostname}` : undefined),
    website,
  };
}
