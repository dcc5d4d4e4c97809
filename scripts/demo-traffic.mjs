// Sample traffic for the demo: anonymous visitors reading articles through the Content API (a few
// popular articles and a long tail, by documentId and by slug), and browser-tracker pageviews with
// engagement, referrers, campaigns and custom events.
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
];

/** Picks index i with probability proportional to 1/(i+1): a few hits, a long tail. */
function zipf(n) {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  let r = Math.random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i += 1) {
    r -= weights[i];
    if (r <= 0) return i;
  }
  return n - 1;
}

export async function sendDemoTraffic(base, { requests }) {
  const list = await (
    await fetch(`${base}/api/articles?sort=publishedAt:desc&pagination[pageSize]=100`)
  ).json();
  // The two newest articles stay unread, as the history left them ("never viewed" insight).
  const articles = (list.data ?? []).slice(2);
  if (!articles.length) return 0;
  let sent = 0;
  for (let i = 0; i < requests; i += 1) {
    const article = articles[zipf(articles.length)];
    const visitor = Math.floor(Math.random() * 80);
    const headers = {
      'user-agent': USER_AGENTS[visitor % USER_AGENTS.length],
      'x-forwarded-for': `198.51.100.${visitor}`,
    };
    const url =
      i % 4 === 0
        ? `${base}/api/articles?filters[slug][$eq]=${encodeURIComponent(article.slug)}`
        : `${base}/api/articles/${article.documentId}`;
    await fetch(url, { headers }).then((r) => r.arrayBuffer());
    sent += 1;
    if (i % 3 === 0) {
      sent += await sendTrackerVisit(base, article, headers, i);
    }
    if (i % 50 === 0) await fetch(`${base}/api/pages`, { headers }).then((r) => r.arrayBuffer());
  }
  return sent;
}

const REFERRERS = [
  null,
  'https://www.google.com/',
  'https://news.ycombinator.com/',
  'https://twitter.com/',
];
const CAMPAIGNS = [
  '',
  '?utm_source=newsletter&utm_medium=email&utm_campaign=autumn',
  '?utm_source=mastodon',
];

async function track(base, headers, body) {
  await fetch(`${base}/api/usage-analytics/track`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/plain' },
    body: JSON.stringify(body),
  }).then((r) => r.arrayBuffer());
}

/** A visit as the tracker reports it: pageview, maybe a custom event, then engagement. */
async function sendTrackerVisit(base, article, headers, i) {
  const url = `https://demo.example.com/blog/${article.slug}${CAMPAIGNS[i % CAMPAIGNS.length]}`;
  const entry = {
    contentType: 'api::article.article',
    documentId: article.documentId,
    locale: 'en',
  };
  await track(base, headers, {
    type: 'pageview',
    url,
    referrer: REFERRERS[i % REFERRERS.length],
    ...entry,
  });
  let sent = 1;
  if (i % 5 === 0) {
    await track(base, headers, {
      type: 'event',
      url,
      name: 'newsletter-signup',
      props: { position: 'footer' },
      ...entry,
    });
    sent += 1;
  }
  if (i % 2 === 0) {
    const engagedMs = 5_000 + Math.floor(Math.random() * 180_000);
    await track(base, headers, {
      type: 'engagement',
      url,
      engagedMs,
      scrollDepth: 20 + (i % 80),
      ...entry,
    });
    sent += 1;
  }
  return sent;
}
