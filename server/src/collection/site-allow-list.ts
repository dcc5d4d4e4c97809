/** What an event says about the site it comes from: hostnames (any may match) and a Umami website id. */
export interface SiteClaim {
  hostnames: string[];
  website?: string | null;
}

export interface SiteAllowList {
  allows(claim: SiteClaim): boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const normalise = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');
// A `www.` prefix names the same site (Plausible strips it from its domains too).
const bare = (host: string) => host.replace(/^www\./, '');

/**
 * `allowedHostnames` compiled once: exact hostnames in a Set, `*.example.com` entries as suffixes
 * (any subdomain, not the domain itself), UUIDs as Umami website ids. Checking a claim is a few
 * Set lookups, so the request path pays nothing noticeable; an empty list allows every site.
 */
export function compileAllowList(entries: readonly string[]): SiteAllowList | null {
  if (!entries.length) return null;
  const exact = new Set<string>();
  const suffixes: string[] = [];
  const websites = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (UUID.test(entry)) websites.add(entry);
    else if (entry.startsWith('*.')) suffixes.push(`.${normalise(entry.slice(2))}`);
    else exact.add(bare(normalise(entry)));
  }
  const hostAllowed = (raw: string) => {
    const host = normalise(raw);
    if (!host) return false;
    if (exact.has(bare(host))) return true;
    return suffixes.some((suffix) => host.endsWith(suffix));
  };
  return {
    allows(claim) {
      if (claim.website && websites.has(claim.website.toLowerCase())) return true;
      return claim.hostnames.some(hostAllowed);
    },
  };
}

const compiled = new WeakMap<readonly string[], SiteAllowList | null>();

/** The compiled list for a configuration's array (the same array is compiled once). */
export function allowListFor(entries: readonly string[]): SiteAllowList | null {
  if (!entries.length) return null;
  let list = compiled.get(entries);
  if (list === undefined) {
    list = compileAllowList(entries);
    compiled.set(entries, list);
  }
  return list;
}
