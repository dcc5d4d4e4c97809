import { BROWSER_UA, IPHONE_UA } from './content';

/** What one request of the mix did: a tracker pageview or a Content API read, and whether it counted. */
export interface MixResult {
  kind: 'pageview' | 'read';
  ok: boolean;
}

/**
 * Request `i` of the scale-out traffic, sent to `baseUrl`: every third one a tracker pageview of
 * an article, the others a Content API read of one, from one of `visitors` client addresses
 * (two user agents). A pageview counts when answered 202 without a drop header, a read when 200.
 */
export async function sendMixRequest(
  baseUrl: string,
  i: number,
  articles: Array<{ documentId: string }>,
  visitors: number
): Promise<MixResult> {
  const visitor = i % visitors;
  const headers = {
    'x-forwarded-for': `203.0.113.${visitor}`,
    'user-agent': visitor % 3 ? BROWSER_UA : IPHONE_UA,
  };
  const article = articles[(i * 7) % articles.length];
  if (i % 3 === 0) {
    const res = await fetch(`${baseUrl}/api/usage-analytics/track`, {
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
      ok: res.status === 202 && !res.headers.get('x-usage-analytics-dropped'),
    };
  }
  const res = await fetch(`${baseUrl}/api/articles/${article.documentId}`, { headers });
  await res.arrayBuffer();
  return { kind: 'read', ok: res.status === 200 };
}
