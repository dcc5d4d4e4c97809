import type { Core } from '@strapi/strapi';
import { DAY_MS } from '../../../shared/time';
import { BoundedMap } from '../collection/bounded-map';
import { cleanText } from '../collection/clean-text';
import type { EventRow, Hit } from '../collection/event-row';
import { addressGroup } from '../collection/address-group';
import { RateLimiter, perAddressLimit } from '../collection/rate-limiter';
import { classifyUserAgent } from '../collection/user-agent';
import { samplePosition, utcDay, visitorHash } from '../collection/visitor-hash';
import { VisitorHashCache } from '../collection/visitor-hash-cache';
import { getService, servicesUsed } from '../get-service';
import type { DropReason } from './event-pipeline';

/** What is known of the visitor behind a hit; used for the hash and device class, then forgotten. */
export interface VisitorContext {
  ip: string;
  userAgent: string;
  /** `DNT: 1` or `Sec-GPC: 1` was sent. */
  optOut: boolean;
  /** Two-letter country from a trusted proxy header, if any. */
  country?: string | null;
}

export type Outcome = { recorded: true } | { recorded: false; reason: DropReason };

const SESSION_GAP_MS = 30 * 60_000;
// One scope for every source, so a browser that both reads the Content API and runs a tracker
// is one visitor.
const HASH_SCOPE = 'usage-analytics';

/** Within a session gap of a UTC midnight, before or after it. */
const nearMidnight = (ts: number) => {
  const sinceMidnight = ts % DAY_MS;
  return sinceMidnight < SESSION_GAP_MS || sinceMidnight >= DAY_MS - SESSION_GAP_MS;
};

const startsWithAny = (path: string, prefixes: string[]) =>
  prefixes.some(
    (prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)
  );

/**
 * Turns a hit into an anonymous raw event: applies the opt-out, bot, exclusion, sampling and rate
 * rules, replaces the IP and user agent by a salted visitor hash and a device class, and queues
 * the row. Everything here is in memory; nothing waits for the database.
 */
const createCollector = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['event-pipeline', 'plugin-config', 'salts']);
  const config = () => service().config.get();
  const limiter = new RateLimiter(() => config().rateLimit.perVisitorPerMinute);
  // Per client address too: rotating the user agent makes a new visitor, not a new address.
  const addressLimiter = new RateLimiter(() => perAddressLimit(config().rateLimit));
  // Last time each visitor hash was seen, to carry a session across UTC midnight: kept only
  // around midnight (see nearMidnight), the only time it is read.
  const lastSeen = new BoundedMap<string, number>(200_000);
  const hashes = new VisitorHashCache(HASH_SCOPE);
  let services: {
    config: ReturnType<typeof getService<'plugin-config'>>;
    salts: ReturnType<typeof getService<'salts'>>;
    pipeline: ReturnType<typeof getService<'event-pipeline'>>;
  } | null = null;
  const service = () =>
    (services ??= {
      config: use('plugin-config'),
      salts: use('salts'),
      pipeline: use('event-pipeline'),
    });

  function hashFor(hit: Hit, visitor: VisitorContext): string {
    const { salts } = service();
    const hash = hashes.hash(salts.saltFor(utcDay(hit.ts)), visitor.ip, visitor.userAgent);
    // Just after midnight, a visitor active before it keeps yesterday's hash for that session.
    if (hit.ts % DAY_MS < SESSION_GAP_MS) {
      const yesterday = utcDay(hit.ts - DAY_MS);
      if (salts.hasSalt(yesterday)) {
        const previous = visitorHash(
          salts.saltFor(yesterday),
          HASH_SCOPE,
          visitor.ip,
          visitor.userAgent
        );
        const seen = lastSeen.get(previous);
        if (seen !== undefined && hit.ts - seen < SESSION_GAP_MS) return previous;
      }
    }
    return hash;
  }

  return {
    record(hit: Hit, visitor: VisitorContext, options: { rateLimit?: boolean } = {}): Outcome {
      const { pipeline } = service();
      const drop = (reason: DropReason): Outcome => {
        pipeline.countDrop(reason);
        return { recorded: false, reason };
      };
      const c = config();
      if (!c.enabled) return drop('disabled');
      if (c.respectDoNotTrack && visitor.optOut) return drop('dnt');
      const device = classifyUserAgent(visitor.userAgent);
      if (device.bot) return drop('bot');
      if (hit.contentType && c.excludeContentTypes.includes(hit.contentType))
        return drop('excluded');
      if (hit.path && startsWithAny(hit.path, c.excludePaths)) return drop('excluded');

      const hash = hashFor(hit, visitor);
      if (c.sampleRate < 1 && samplePosition(hash) >= c.sampleRate) return drop('sampled');
      if (options.rateLimit) {
        // A visitor over its own limit does not use up its address's (its colleagues').
        if (!limiter.allow(hash, hit.ts)) return drop('rate_limited');
        if (!addressLimiter.allow(addressGroup(visitor.ip), hit.ts)) return drop('address_limited');
      }
      if (nearMidnight(hit.ts)) lastSeen.set(hash, hit.ts);

      const row: EventRow = {
        ts: hit.ts,
        kind: hit.kind,
        source: hit.source,
        content_type: hit.contentType ?? null,
        document_id: hit.documentId ?? null,
        locale: hit.locale ?? null,
        path: cleanText(hit.path) ?? '/',
        referrer_host: hit.referrerHost ?? null,
        utm_source: cleanText(hit.utmSource),
        utm_medium: cleanText(hit.utmMedium),
        utm_campaign: cleanText(hit.utmCampaign),
        device: device.device,
        browser: device.browser,
        os: device.os,
        country: visitor.country ?? null,
        visitor_hash: hash,
        engaged_ms: hit.engagedMs ?? null,
        scroll_depth: hit.scrollDepth ?? null,
        // An event name made only of control characters still names an event.
        event_name: hit.kind === 'event' ? (cleanText(hit.eventName) ?? '(unnamed)') : null,
        props: hit.props ? JSON.stringify(hit.props) : null,
        hits: 1,
      };
      return pipeline.pushEvent(row)
        ? { recorded: true }
        : { recorded: false, reason: 'buffer_full' };
    },
  };
};

export type CollectorService = ReturnType<typeof createCollector>;
export default createCollector;
