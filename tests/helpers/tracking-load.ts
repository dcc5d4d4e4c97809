import { BROWSER_UA, IPHONE_UA } from './content';

/** One request the load generator made. */
export interface Sample {
  /** When it was sent (epoch ms). */
  t: number;
  kind: string;
  status: number;
  ms: number;
  /** The unique path a tracked pageview carried (its id in `ua_events`). */
  path?: string;
  /** `x-usage-analytics-dropped`, when the plugin accepted the event but did not keep it. */
  dropped?: string | null;
}

export interface Load {
  samples: Sample[];
  /** Stops sending and resolves when every request in flight has finished. */
  stop(): Promise<Sample[]>;
}

export interface LoadOptions {
  concurrency: number;
  /** What each worker sends, in turn; `track` posts a pageview with a unique path. */
  mix?: Array<'track' | 'health' | 'script'>;
  /** Path prefix of the tracked pageviews, so a run's events can be found in the database. */
  prefix: string;
  /** Distinct visitors (X-Forwarded-For addresses) the pageviews come from. */
  visitors?: number;
}

/**
 * Sustained traffic against one Strapi until stopped: pageviews on the tracking endpoint (each
 * with a unique path, so what was answered 202 can be matched row by row in the database) and,
 * optionally, requests that need no database (the health check, the tracker script). A refused
 * connection is recorded as status 0.
 */
export function startLoad(url: string, options: LoadOptions): Load {
  const mix = options.mix ?? ['track'];
  const visitors = options.visitors ?? 200;
  const samples: Sample[] = [];
  let running = true;
  let seq = 0;

  async function one(kind: string): Promise<void> {
    const t = Date.now();
    const started = performance.now();
    let status = 0;
    let path: string | undefined;
    let dropped: string | null = null;
    try {
      if (kind === 'track') {
        seq += 1;
        path = `${options.prefix}/${seq}`;
        const res = await fetch(`${url}/api/usage-analytics/track`, {
          method: 'POST',
          headers: {
            'content-type': 'text/plain',
            'user-agent': BROWSER_UA,
            'x-forwarded-for': `198.51.100.${seq % visitors}`,
          },
          body: JSON.stringify({ type: 'pageview', url: `https://site.example${path}` }),
        });
        await res.arrayBuffer();
        status = res.status;
        dropped = res.headers.get('x-usage-analytics-dropped');
      } else {
        const res = await fetch(
          kind === 'health' ? `${url}/_health` : `${url}/api/usage-analytics/script.js`
        );
        await res.arrayBuffer();
        status = res.status;
      }
    } catch {
      status = 0;
    }
    samples.push({ t, kind, status, ms: performance.now() - started, path, dropped });
  }

  const workers = Array.from({ length: options.concurrency }, async (_, w) => {
    for (let i = w; running; i += 1) {
      await one(mix[i % mix.length]);
      // A refused connection returns at once; do not spin while the server is down.
      if (samples[samples.length - 1]?.status === 0) await new Promise((r) => setTimeout(r, 20));
    }
  });
  return {
    samples,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return samples;
    },
  };
}

/** The pageviews the server answered 202 and kept (not dropped). */
export const acknowledged = (samples: Sample[]) =>
  samples.filter((s) => s.kind === 'track' && s.status === 202 && !s.dropped);

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The `i`-th request of the scale-out traffic to the Strapi at `url`: every third one a tracked
 * pageview of an article, the others a Content API read of one, from one of `visitors` visitors
 * (addresses, desktop and phone browsers). `counted` when the plugin counts it: a read answered
 * 200, a pageview answered 202 and not dropped.
 */
export async function scaleOutRequest(
  url: string,
  i: number,
  articles: Array<{ documentId: string }>,
  visitors: number
): Promise<{ kind: 'read' | 'pageview'; counted: boolean }> {
  const visitor = i % visitors;
  const headers = {
    'x-forwarded-for': `203.0.113.${visitor}`,
    'user-agent': visitor % 3 ? BROWSER_UA : IPHONE_UA,
  };
  const article = articles[(i * 7) % articles.length];
  if (i % 3 === 0) {
    const res = await fetch(`${url}/api/usage-analytics/track`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: JSON.stringify({
        type: 'pageview',
        url: `https://site.example/${i}`,
        contentType: 'api::article.article',
        documentId: article.documentId,
        locale: 'en',
      }),
    });
    await res.arrayBuffer();
    return {
      kind: 'pageview',
      counted: res.status === 202 && !res.headers.get('x-usage-analytics-dropped'),
    };
  }
  const res = await fetch(`${url}/api/articles/${article.documentId}`, { headers });
  await res.arrayBuffer();
  return { kind: 'read', counted: res.status === 200 };
}
