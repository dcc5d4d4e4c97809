/**
 * Removes personal data from a string before it is stored: e-mail addresses, the values of
 * secret-looking parameters (OAuth tokens, codes, passwords…), JSON Web Tokens, and whatever the
 * site's own `privacy.scrubPatterns` match. Every pattern is compiled once and only run when a
 * cheap substring test says it could match: this runs on every recorded event.
 */

export const EMAIL_PLACEHOLDER = '[email]';
export const REDACTED = '[redacted]';

// Bounded repetitions: no pattern can backtrack over more than a few dozen characters per start.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}(?:@|%40)(?:[A-Za-z0-9-]{1,63}\.){1,16}[A-Za-z]{2,24}/gi;
const SECRET_KEYS =
  '(?:access_|id_|refresh_|auth_)?token|code|state|password|passwd|pwd|secret|client_secret|' +
  'api_?key|apikey|session(?:_?id)?|sid|auth|otp|email|e-?mail';
// `key=value` where the key is a secret name, after a separator (or at the start).
const SECRET_PAIR = new RegExp(`(^|[?&#;,/\\s])(${SECRET_KEYS})=[^&#;,\\s]*`, 'gi');
const SECRET_KEY = new RegExp(`^(?:${SECRET_KEYS})$`, 'i');
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

export interface Scrubber {
  /** Free text: a campaign, an event name, a property, a referrer host. */
  text(value: string): string;
  /** A page path with an optional `#fragment`: the fragment keeps only a route. */
  path(value: string): string;
  /** Whether a property key names a secret (its value is then not kept). */
  isSecretKey(key: string): boolean;
}

/** Compiles the site's extra patterns (regular expression sources, matched globally). */
export function createScrubber(extraPatterns: readonly string[] = []): Scrubber {
  const extra = extraPatterns.map((source) => new RegExp(source, 'g'));

  const text = (value: string): string => {
    let out = value;
    if (out.includes('@') || out.includes('%40')) out = out.replace(EMAIL, EMAIL_PLACEHOLDER);
    if (out.includes('=')) out = out.replace(SECRET_PAIR, `$1$2=${REDACTED}`);
    if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
    for (const pattern of extra) out = out.replace(pattern, REDACTED);
    return out;
  };

  return {
    text,
    path(value: string): string {
      const hashAt = value.indexOf('#');
      if (hashAt < 0) return text(value);
      const route = fragmentRoute(value.slice(hashAt + 1));
      return text(route ? `${value.slice(0, hashAt)}#${route}` : value.slice(0, hashAt));
    },
    isSecretKey: (key) => SECRET_KEY.test(key),
  };
}

/**
 * What a `#fragment` may keep: a client-side route such as `/pricing` or `!/docs`, never its
 * parameters. A fragment made of parameters (`access_token=…&state=…`) keeps nothing.
 */
export function fragmentRoute(fragment: string): string {
  let end = fragment.length;
  for (const separator of ['?', '&']) {
    const at = fragment.indexOf(separator);
    if (at >= 0 && at < end) end = at;
  }
  const route = fragment.slice(0, end);
  return route.includes('=') ? '' : route;
}
