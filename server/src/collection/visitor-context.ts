import type { VisitorContext } from '../services/collector';

interface ContextLike {
  ip: string;
  get(header: string): string;
  app: { proxy: boolean };
}

// Country headers set by common CDNs; read only when Strapi trusts its proxy.
const COUNTRY_HEADERS = ['cf-ipcountry', 'x-vercel-ip-country', 'cloudfront-viewer-country'];

/**
 * What the collector may know about the client of a request. The IP is Koa's `ctx.ip`, which
 * honours X-Forwarded-For only when Strapi's `server.proxy.koa` is true.
 */
export function visitorFromRequest(ctx: ContextLike): VisitorContext {
  let country: string | null = null;
  if (ctx.app.proxy) {
    for (const header of COUNTRY_HEADERS) {
      const value = ctx.get(header).toUpperCase();
      if (/^[A-Z]{2}$/.test(value) && value !== 'XX') {
        country = value;
        break;
      }
    }
  }
  return {
    ip: ctx.ip,
    userAgent: ctx.get('user-agent').slice(0, 1000),
    optOut: ctx.get('dnt') === '1' || ctx.get('sec-gpc') === '1',
    country,
  };
}
