import type { Core } from '@strapi/strapi';
import { allowListFor, type SiteClaim } from '../collection/site-allow-list';
import { getService } from '../get-service';

/**
 * Applies `allowedHostnames` to an event that passed validation: null when it may be recorded,
 * else the reason it is refused (and the refusal is counted as `host_not_allowed`). `claim` is
 * only read when a list is configured.
 */
export function refuseForeignSite(strapi: Core.Strapi, claim: () => SiteClaim): string | null {
  const list = allowListFor(getService(strapi, 'plugin-config').get().allowedHostnames);
  if (!list) return null;
  const site = claim();
  if (list.allows(site)) return null;
  getService(strapi, 'event-pipeline').countDrop('host_not_allowed');
  const named = site.hostnames.filter(Boolean).slice(0, 3).join(', ');
  return named
    ? `events for ${named.slice(0, 200)} are not accepted here (allowedHostnames)`
    : 'events must name one of the sites in allowedHostnames';
}
