import { DAY_MS } from '../../shared/time';

/**
 * What a valid stored `ua_events` row looks like, whatever the input was: the checks the fuzz
 * and hostile-input suites apply to every row after a run. Returns the problems found.
 */
const KINDS = new Set(['pageview', 'event', 'engagement', 'api_read', 'list_read']);
const SOURCES = new Set(['api', 'tracker', 'plausible', 'umami']);
const DEVICES = new Set(['desktop', 'mobile', 'tablet', 'tv', 'other']);
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Anything shaped like an e-mail address, plain or with `@` percent-encoded. */
export const EMAIL_SHAPE = /[A-Za-z0-9._%+-](@|%40)(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2}/i;

export function eventRowProblems(row: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${what}: ${JSON.stringify(row)}`.slice(0, 500));
  };
  const str = (v: unknown, max: number, pattern?: RegExp) =>
    v === null || (typeof v === 'string' && v.length <= max && (!pattern || pattern.test(v)));
  const int = (v: unknown, min: number, max: number) =>
    v === null || (Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max);

  check(KINDS.has(String(row.kind)), 'kind');
  check(SOURCES.has(String(row.source)), 'source');
  check(Number(row.ts) > 1_600_000_000_000 && Number(row.ts) <= Date.now() + 60_000, 'ts');
  check(str(row.content_type, 255, /^api::[a-z0-9-]+\.[a-z0-9-]+$/), 'content_type');
  check(str(row.document_id, 64, /^[A-Za-z0-9_-]+$/), 'document_id');
  check(str(row.locale, 16, /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/), 'locale');
  check(
    typeof row.path === 'string' && row.path.startsWith('/') && row.path.length <= 2000,
    'path'
  );
  check(str(row.referrer_host, 255, /^[^\s/?#]+$/), 'referrer_host');
  for (const k of ['utm_source', 'utm_medium', 'utm_campaign']) check(str(row[k], 255), k);
  check(DEVICES.has(String(row.device)), 'device');
  check(str(row.browser, 32) && str(row.os, 32), 'browser/os');
  check(str(row.country, 2, /^[A-Z]{2}$/), 'country');
  check(
    typeof row.visitor_hash === 'string' && /^[0-9a-f]{16}$/.test(row.visitor_hash),
    'visitor_hash'
  );
  check(int(row.engaged_ms, 0, DAY_MS), 'engaged_ms');
  check(int(row.scroll_depth, 0, 100), 'scroll_depth');
  check(str(row.event_name, 120), 'event_name');
  // Every stored text: no control character, no lone surrogate, nothing shaped like an e-mail.
  const texts = Object.values(row).filter((v): v is string => typeof v === 'string');
  if (typeof row.props === 'string') {
    try {
      for (const [k, v] of Object.entries(JSON.parse(row.props))) texts.push(k, String(v));
    } catch {
      // reported below
    }
  }
  check(!texts.some((t) => UNSTORABLE.test(t)), 'control character or lone surrogate');
  check(!texts.some((t) => EMAIL_SHAPE.test(t)), 'e-mail address');
  check((row.event_name !== null) === (row.kind === 'event'), 'event_name only on events');
  if (row.props !== null) {
    let props: unknown;
    try {
      props = JSON.parse(String(row.props));
    } catch {
      props = undefined;
    }
    const entries =
      props && typeof props === 'object' && !Array.isArray(props) ? Object.entries(props) : null;
    check(
      !!entries &&
        entries.length > 0 &&
        entries.length <= 30 &&
        entries.every(
          ([k, v]) =>
            Buffer.byteLength(k) <= 300 &&
            ['string', 'number', 'boolean'].includes(typeof v) &&
            Buffer.byteLength(String(v)) <= 2000
        ),
      'props'
    );
  }
  return problems;
}
