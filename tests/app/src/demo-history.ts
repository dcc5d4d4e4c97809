import type { Core } from '@strapi/strapi';
import { seededRandom } from './seeded-random';
import { DAY_MS, HOUR_MS } from './time';

/**
 * The demo's history: `DEMO_HISTORY_DAYS` days of a small blog's traffic, written through the
 * plugin's own collector (each hit with its own past time, hashed with that day's salt) and its
 * editorial pipeline (publications with back-dated times), then rolled up by the plugin's rollup —
 * never into aggregate tables directly. Weekly seasonality, a site that grows, articles that peak
 * after publication and fade, evergreen articles, one article that loses its readers, one that
 * takes off, new articles nobody has read yet, referrers, campaigns, devices and custom events.
 * Deterministic: the same days give the same traffic.
 */
const ARTICLE = 'api::article.article';

const TOPICS = [
  'Choosing a headless CMS in 2026',
  'Content modelling for marketing sites',
  'A practical guide to image formats',
  'Writing headlines people click',
  'Static or server rendering?',
  'How we cut our API latency in half',
  'Preview environments for editors',
  'Accessibility checklist for blog posts',
  'Internationalisation without tears',
  'Search that editors can tune',
  'Scheduling posts across time zones',
  'What our readers told us',
  'Migrating from WordPress, step by step',
  'Rate limits and friendly errors',
  'Newsletter growth experiments',
  'The case for fewer plugins',
  'Measuring content that matters',
  'Dark mode for documentation',
  'Structured data for rich results',
  'A year of weekly releases',
  'Editorial calendars that survive',
  'Caching at the edge, explained',
  'Building a changelog readers love',
  'From draft to review to live',
];

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
];
const COUNTRIES = ['US', 'US', 'US', 'DE', 'DE', 'GB', 'GB', 'FR', 'NL', 'IN', 'CA', 'BR', 'SE'];
const REFERRERS = [
  null,
  null,
  null,
  'https://www.google.com/',
  'https://www.google.com/',
  'https://duckduckgo.com/',
  'https://news.ycombinator.com/',
  'https://www.reddit.com/r/webdev/',
  'https://www.linkedin.com/',
  'https://github.com/',
];
const CAMPAIGNS = [
  '?utm_source=newsletter&utm_medium=email&utm_campaign=weekly-digest',
  '?utm_source=mastodon&utm_medium=social&utm_campaign=launch-week',
  '?utm_source=partner-blog&utm_medium=referral&utm_campaign=guest-post',
];
const PAGES = ['/', '/about', '/pricing', '/contact', '/blog'];

interface DemoArticle {
  documentId: string;
  slug: string;
  /** Days before today it was published. */
  publishedDaysAgo: number;
  /** Readers a day at its peak, and how it ages. */
  weight: number;
  shape: 'news' | 'evergreen' | 'fading' | 'rising' | 'unread';
}

/** How many of an article's peak readers come on a day `age` days after its publication. */
function lifecycle(article: DemoArticle, age: number, daysAgo: number): number {
  if (age < 0 || article.shape === 'unread') return 0;
  switch (article.shape) {
    case 'news':
      return 0.15 + 0.85 * Math.exp(-age / 6);
    case 'evergreen':
      return Math.min(1, 0.3 + age / 40);
    case 'fading':
      // Steady, then it loses most of its readers over the last four weeks.
      return daysAgo > 28 ? 1 : 0.2 + 0.8 * (daysAgo / 28);
    case 'rising':
      // Quiet, then shared widely over the last ten days.
      return daysAgo > 10 ? 0.1 : 1.4 - daysAgo / 10;
  }
}

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/(^-|-$)/g, '');
}

type Plugin = ReturnType<Core.Strapi['plugin']>;

/**
 * Creates the demo's articles with their analytics paused (content that existed before the
 * plugin counted anything), then back-dates their publication and records it as the editorial
 * pipeline would have at the time.
 */
async function createArticles(
  strapi: Core.Strapi,
  plugin: Plugin,
  days: number,
  now: number,
  seed: () => Promise<void>
): Promise<DemoArticle[]> {
  const documents = strapi.documents(ARTICLE);
  const rnd = seededRandom(7);
  const created: DemoArticle[] = [];
  const enabledKey = 'plugin::usage-analytics.enabled';
  const wasEnabled = strapi.config.get(enabledKey, true);
  strapi.config.set(enabledKey, false);
  try {
    // The sample site's first articles: older than the history, read all along.
    await seed();
    const older = await documents.findMany({ status: 'published', locale: 'en', limit: 1000 });
    for (const [i, doc] of older.entries()) {
      created.push({
        documentId: doc.documentId,
        slug: String(doc.slug),
        publishedDaysAgo: days + 10 + i,
        weight: 0.5 + rnd() * 0.5,
        shape: i % 2 ? 'evergreen' : 'news',
      });
    }
    for (const [i, title] of TOPICS.entries()) {
      const slug = slugOf(title);
      const doc = await documents.create({
        data: { title, slug, body: `# ${title}\n\nA post of the demo blog.` },
        locale: 'en',
      });
      await documents.publish({ documentId: doc.documentId, locale: 'en' });
      // Spread over the period, oldest first; the last two are this week's and unread so far.
      const last = i >= TOPICS.length - 2;
      const publishedDaysAgo = last
        ? 2 + (TOPICS.length - 1 - i) * 2
        : Math.round(days - 3 - (i * (days - 12)) / (TOPICS.length - 2));
      const shape: DemoArticle['shape'] = last
        ? 'unread'
        : i === 3
          ? 'fading'
          : i === 15
            ? 'rising'
            : i % 3 === 0
              ? 'evergreen'
              : 'news';
      created.push({
        documentId: doc.documentId,
        slug,
        publishedDaysAgo,
        weight: 8 / (8 + i) + 0.4 + rnd() * 0.3,
        shape,
      });
    }
  } finally {
    strapi.config.set(enabledKey, wasEnabled);
  }

  const pipeline = plugin.service('event-pipeline');
  for (const article of created) {
    const at = now - article.publishedDaysAgo * DAY_MS - Math.floor(rnd() * 8) * HOUR_MS;
    const date = new Date(at);
    await strapi.db.query(ARTICLE).updateMany({
      where: { documentId: article.documentId },
      data: { createdAt: date, updatedAt: date },
    });
    await strapi.db.query(ARTICLE).updateMany({
      where: { documentId: article.documentId, publishedAt: { $notNull: true } },
      data: { publishedAt: date },
    });
    for (const action of ['create', 'publish']) {
      pipeline.pushEditorial({
        ts: at + (action === 'publish' ? 600_000 : 0),
        content_type: ARTICLE,
        document_id: article.documentId,
        locale: 'en',
        action,
      });
    }
  }
  return created;
}

/** Writes the history; returns how many hits the collector took. */
export async function writeDemoHistory(
  strapi: Core.Strapi,
  days: number,
  seed: () => Promise<void>
): Promise<number> {
  const plugin = strapi.plugin('usage-analytics');
  const now = Date.now();
  const today = now - (now % DAY_MS);
  const articles = await createArticles(strapi, plugin, days, now, seed);
  const collector = plugin.service('collector');
  const pipeline = plugin.service('event-pipeline');
  const rnd = seededRandom(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  let recorded = 0;
  let sinceFlush = 0;

  for (let daysAgo = days; daysAgo >= 0; daysAgo -= 1) {
    const dayStart = today - daysAgo * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    const season = weekday === 0 ? 0.55 : weekday === 6 ? 0.6 : weekday === 1 ? 1.1 : 1;
    const growth = 0.6 + 0.4 * ((days - daysAgo) / days);
    // Today only up to now.
    const dayLength = daysAgo === 0 ? now - dayStart : DAY_MS;
    const visitors = Math.round(140 * season * growth * (0.9 + rnd() * 0.2) * (dayLength / DAY_MS));
    const weights = articles.map(
      (a) => a.weight * lifecycle(a, a.publishedDaysAgo - daysAgo, daysAgo)
    );
    const total = weights.reduce((s, w) => s + w, 0);
    const chooseArticle = (): DemoArticle | null => {
      let r = rnd() * total;
      for (const [i, w] of weights.entries()) {
        r -= w;
        if (r <= 0 && w > 0) return articles[i];
      }
      return null;
    };

    for (let v = 0; v < visitors; v += 1) {
      const visitor = {
        ip: `203.0.${113 + (v % 2)}.${Math.floor(rnd() * 254) + 1}`,
        userAgent: pick(USER_AGENTS),
        optOut: false,
        country: pick(COUNTRIES),
      };
      let ts = dayStart + Math.floor(rnd() * (dayLength - HOUR_MS > 0 ? dayLength - HOUR_MS : 1));
      const campaign = rnd() < 0.12 ? pick(CAMPAIGNS) : '';
      const referrer = campaign ? null : pick(REFERRERS);
      const pages = 1 + Math.floor(rnd() * rnd() * 5);
      for (let p = 0; p < pages; p += 1) {
        const article = rnd() < 0.8 ? chooseArticle() : null;
        const path = article ? `/blog/${article.slug}` : pick(PAGES);
        const url = new URL(`https://demo.example.com${path}${p === 0 ? campaign : ''}`);
        const entry = article
          ? { contentType: ARTICLE, documentId: article.documentId, locale: 'en' }
          : {};
        const hit = (kind: 'pageview' | 'event' | 'engagement', extra: object = {}) => ({
          kind,
          source: 'tracker' as const,
          ts,
          path,
          referrerHost: p === 0 && referrer ? new URL(referrer).hostname : null,
          utmSource: url.searchParams.get('utm_source'),
          utmMedium: url.searchParams.get('utm_medium'),
          utmCampaign: url.searchParams.get('utm_campaign'),
          ...entry,
          ...extra,
        });
        const record = (h: object) => {
          if (collector.record(h, visitor).recorded) recorded += 1;
          sinceFlush += 1;
        };
        record(hit('pageview'));
        if (article && rnd() < 0.3) {
          // The frontend also read the entry through the Content API.
          record({
            ...hit('pageview'),
            kind: 'api_read',
            source: 'api',
            path: `/api/articles/${article.documentId}`,
          });
        }
        if (rnd() < 0.06) {
          record(
            hit('event', {
              eventName: 'newsletter-signup',
              props: { position: pick(['footer', 'inline', 'popup']) },
            })
          );
        }
        if (path === '/pricing' && rnd() < 0.25) {
          record(
            hit('event', {
              eventName: 'plan-selected',
              props: { plan: pick(['free', 'team', 'business']) },
            })
          );
        }
        ts += 20_000 + Math.floor(rnd() * 150_000);
        if (rnd() < 0.7) {
          record(
            hit('engagement', {
              engagedMs: 8_000 + Math.floor(rnd() * 200_000),
              scrollDepth: 20 + Math.floor(rnd() * 81),
            })
          );
        }
        ts += 5_000 + Math.floor(rnd() * 30_000);
      }
      if (sinceFlush >= 5_000) {
        await pipeline.flush();
        sinceFlush = 0;
      }
    }
  }
  await pipeline.flush();
  const rollup = plugin.service('rollup');
  for (let i = 0; i < 100; i += 1) {
    const run = await rollup.runOnce();
    if (!run || run.rows === 0) break;
  }
  return recorded;
}
