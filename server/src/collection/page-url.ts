/** What analytics keeps of a page URL: its path and its utm_* campaign parameters. */
export interface PageLocation {
  host: string;
  path: string;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
}

const MAX_PATH = 2000;
const MAX_FIELD = 255;

const clip = (value: string | null, max = MAX_FIELD): string | null =>
  value ? value.slice(0, max) : null;

/**
 * Parses a page URL (absolute, or a path when `base` is given). The query string is dropped except
 * for utm_source/medium/campaign; the #hash only with `keepHash` (single-page apps that route by
 * hash). Returns null for anything that is not an http(s) URL.
 */
export function parsePageUrl(
  raw: string,
  options: { base?: string; keepHash?: boolean } = {}
): PageLocation | null {
  let url: URL;
  try {
    url = new URL(raw, options.base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const path = (url.pathname || '/') + (options.keepHash && url.hash ? url.hash : '');
  if (path.length > MAX_PATH) return null;
  const params = url.searchParams;
  return {
    host: url.hostname.toLowerCase(),
    path,
    utmSource: clip(params.get('utm_source')),
    utmMedium: clip(params.get('utm_medium')),
    utmCampaign: clip(params.get('utm_campaign')),
  };
}

/**
 * The referrer's host without "www.", or null when there is none, it is not a web URL, or it is
 * the page's own site (navigation inside the site is not a referral).
 */
export function referrerHost(referrer: string | null | undefined, pageHost: string): string | null {
  if (!referrer) return null;
  let url: URL;
  try {
    url = new URL(referrer);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (!host || host === pageHost.replace(/^www\./, '')) return null;
  return host.slice(0, MAX_FIELD);
}
