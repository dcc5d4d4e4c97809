import type { AddressInfo } from 'node:net';
import { BROWSER_UA } from '../helpers/content';
import { missedGoals } from '../helpers/reliability-figures';
import { bootApp, type TestApp } from '../helpers/strapi';

/**
 * A flood from one visitor is capped at `rateLimit.perVisitorPerMinute`, a flood from one address
 * that changes its user agent on every request at the per-address limit (ten per-visitor limits
 * by default), while other visitors, sending at the same time, are all served.
 */
const PER_MINUTE = 30;
const PER_ADDRESS = 10 * PER_MINUTE;

describe('per-visitor rate limit under a flood', () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await bootApp({
      env: { TRUST_PROXY: 'true' },
      pluginConfig: { rateLimit: { perVisitorPerMinute: PER_MINUTE } },
    });
    await new Promise<void>((resolve) =>
      app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve)
    );
    base = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  });
  afterAll(() => app?.stop());

  const send = async (ip: string, i: number, ua = BROWSER_UA) => {
    const res = await fetch(`${base}/api/usage-analytics/track`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': ua, 'x-forwarded-for': ip },
      body: JSON.stringify({ type: 'pageview', url: `https://site.example/p/${i}` }),
    });
    await res.arrayBuffer();
    return { status: res.status, dropped: res.headers.get('x-usage-analytics-dropped') };
  };

  /**
   * 600 events from `flooder` (with the user agent `uaOf(i)`), interleaved with 5 other senders
   * every 20 of them, 16 requests at a time. How many of the flood were accepted and answered
   * 429, how many of the others were served (202 and not dropped), and how many fixed one-minute
   * windows the flood spanned (straddling a minute boundary gives it two).
   */
  async function flood(flooder: string, others: string[], uaOf: (i: number) => string) {
    const started = Date.now();
    const queue: Array<[string, number]> = [];
    for (let i = 0; i < 600; i += 1) {
      queue.push([flooder, i]);
      if (i % 20 === 0) for (const ip of others) queue.push([ip, i]);
    }
    const floodStatuses: number[] = [];
    const otherAnswers: Array<{ status: number; dropped: string | null }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < queue.length) {
          const [ip, i] = queue[next++];
          if (ip === flooder) floodStatuses.push((await send(ip, i, uaOf(i))).status);
          else otherAnswers.push(await send(ip, i));
        }
      })
    );
    return {
      accepted: floodStatuses.filter((s) => s === 202).length,
      limited: floodStatuses.filter((s) => s === 429).length,
      others: otherAnswers.length,
      othersServed: otherAnswers.filter((r) => r.status === 202 && !r.dropped).length,
      windows: Math.floor(Date.now() / 60_000) - Math.floor(started / 60_000) + 1,
    };
  }

  const fiveOthers = (first: number) => [1, 2, 3, 4, 5].map((v) => `192.0.2.${first + v}`);

  it('caps the flooding visitor and serves the others', async () => {
    const f = await flood('203.0.113.66', fiveOthers(0), () => BROWSER_UA);
    expect(f.accepted).toBeGreaterThanOrEqual(PER_MINUTE);
    expect(
      missedGoals('rate limit', [
        [
          `flood of 600 from one visitor: accepted (limit ${PER_MINUTE}/min)`,
          f.accepted,
          '<=',
          PER_MINUTE * f.windows,
        ],
        ['flood: answered 429', f.limited, '==', 600 - f.accepted],
        [
          `5 other visitors during the flood: served of ${f.others}`,
          f.othersServed,
          '==',
          f.others,
        ],
      ])
    ).toEqual([]);
  });

  it('caps one address rotating its user agent at the per-address limit', async () => {
    // A new browser version on every request: a new anonymous visitor each time.
    const f = await flood('203.0.113.77', fiveOthers(10), (i) =>
      BROWSER_UA.replace('126.0.0.0', `126.0.${i}.0`)
    );
    expect(f.accepted).toBeGreaterThanOrEqual(PER_ADDRESS);
    expect(
      missedGoals('rate limit', [
        [
          `600, one address, new UA each: accepted (limit ${PER_ADDRESS}/min)`,
          f.accepted,
          '<=',
          PER_ADDRESS * f.windows,
        ],
        ['rotating flood: answered 429', f.limited, '==', 600 - f.accepted],
        [`5 other addresses during it: served of ${f.others}`, f.othersServed, '==', f.others],
      ])
    ).toEqual([]);
  });
});
