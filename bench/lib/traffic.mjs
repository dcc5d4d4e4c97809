// The traffic the benchmark sends: many visitors (client address + browser user agent, sent as
// X-Forwarded-For to servers that trust their proxy), reading many entries whose popularity is
// head-heavy (Zipf, s = 1), as a real site's audience does. Deterministic (seeded), so both
// sides of a comparison get the same sequence of requests.
import { loadTypeScript } from './typescript-source.cjs';

const { seededRandom } = loadTypeScript('tests/app/src/seeded-random.ts');

/** Browser user agents of the kinds a site sees (desktop, mobile, tablet; none a bot). */
export const BROWSER_USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.165 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
  'Mozilla/5.0 (Linux; Android 12; moto g(60)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
];

/** Visitors reading the Content API (the measured case); each is one address + one agent. */
export const READ_VISITORS = 256;
/**
 * Visitors sending tracker events. Taken in turn, so each visitor sends one event per
 * TRACK_VISITORS requests: under the default limit (120 a minute) up to ~32 000 req/s.
 */
export const TRACK_VISITORS = 16_384;
/** Entries read or tracked; popularity by rank follows Zipf (s = 1). */
export const ENTRIES = 120;
/** Published articles the test app's SEED_CONTENT creates; the benchmark adds the rest. */
export const SEEDED_ARTICLES = 10;
export const ADDED_ARTICLES = ENTRIES - SEEDED_ARTICLES;

/** A sampler of ranks 0..n-1 with P(rank k) ∝ 1 / (k + 1)^s. */
export function zipfSampler(n, random, s = 1) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k += 1) {
    sum += 1 / (k + 1) ** s;
    cdf[k] = sum;
  }
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The client address of visitor i (distinct for i < 2^22). */
export function visitorAddress(i) {
  return `100.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`;
}

/** The user agent of visitor i: every agent is used, spread over the visitors. */
export function visitorAgent(i) {
  return BROWSER_USER_AGENTS[(i * 7 + (i >> 5)) % BROWSER_USER_AGENTS.length];
}

function visitorHeaders(i) {
  return { 'x-forwarded-for': visitorAddress(i), 'user-agent': visitorAgent(i) };
}

/**
 * autocannon `requests` reading `GET /api/articles/:documentId` as READ_VISITORS random visitors,
 * the entry drawn by popularity from `documentIds` (ordered by rank).
 */
export function contentReadRequests(documentIds, seed = 1) {
  const random = seededRandom(seed);
  const entry = zipfSampler(documentIds.length, random);
  const visitors = Array.from({ length: READ_VISITORS }, (_, i) => visitorHeaders(i));
  return [
    {
      setupRequest: (req) => {
        const headers = visitors[Math.floor(random() * READ_VISITORS)];
        req.method = 'GET';
        req.path = `/api/articles/${documentIds[entry()]}`;
        req.headers = { ...req.headers, ...headers };
        return req;
      },
    },
  ];
}

/** The body a tracker sends on a pageview: text/plain JSON (no CORS preflight). */
export function pageviewBody(documentId, rank) {
  return JSON.stringify({
    type: 'pageview',
    url: `https://example.com/blog/post-${rank + 1}?utm_source=news`,
    referrer: 'https://www.google.com/',
    contentType: 'api::article.article',
    documentId,
    locale: 'en',
  });
}

/**
 * autocannon `requests` posting pageviews to `path` as TRACK_VISITORS visitors in turn (so none
 * exceeds the default rate limit), the entry drawn by popularity.
 */
export function pageviewRequests(path, documentIds, seed = 2) {
  const random = seededRandom(seed);
  const entry = zipfSampler(documentIds.length, random);
  const bodies = documentIds.map((id, rank) => pageviewBody(id, rank));
  let next = 0;
  return [
    {
      setupRequest: (req) => {
        const visitor = next;
        next = (next + 1) % TRACK_VISITORS;
        req.method = 'POST';
        req.path = path;
        req.headers = {
          ...req.headers,
          'content-type': 'text/plain',
          ...visitorHeaders(visitor),
        };
        req.body = bodies[entry()];
        return req;
      },
    },
  ];
}
