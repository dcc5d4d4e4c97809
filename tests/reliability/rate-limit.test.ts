import type { AddressInfo } from 'node:net';
import { BROWSER_UA } from '../helpers/content';
import { judged } from '../helpers/reliability-figures';
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

  it('caps the flooding visitor and serves the others', async () => {
    const started = Date.now();
    // The flood and the other visitors' requests interleaved, 16 at a time.
    const queue: Array<[string, number]> = [];
    for (let i = 0; i < 600; i += 1) {
      queue.push(['203.0.113.66', i]);
      if (i % 20 === 0) for (let v = 1; v <= 5; v += 1) queue.push([`192.0.2.${v}`, i]);
    }
    const floodStatuses: number[] = [];
    const otherAnswers: Array<{ status: number; dropped: string | null }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < queue.length) {
          const [ip, i] = queue[next++];
          const answer = await send(ip, i);
          if (ip === '203.0.113.66') floodStatuses.push(answer.status);
          else otherAnswers.push(answer);
        }
      })
    );
    // A fixed one-minute window: a flood that straddles a minute boundary gets two of them.
    const windows = Math.floor(Date.now() / 60_000) - Math.floor(started / 60_000) + 1;
    const accepted = floodStatuses.filter((s) => s === 202).length;
    const limited = floodStatuses.filter((s) => s === 429).length;
    const othersServed = otherAnswers.filter((r) => r.status === 202 && !r.dropped).length;
    const results = [
      judged(
        'rate limit',
        `flood of 600 from one visitor: accepted (limit ${PER_MINUTE}/min)`,
        accepted,
        '<=',
        PER_MINUTE * windows
      ),
      judged('rate limit', 'flood: answered 429', limited, '==', 600 - accepted),
      judged(
        'rate limit',
        `5 other visitors during the flood: served of ${otherAnswers.length}`,
        othersServed,
        '==',
        otherAnswers.length
      ),
    ];
    expect(accepted).toBeGreaterThanOrEqual(PER_MINUTE);
    expect(results).toEqual([true, true, true]);
  });

  it('caps one address rotating its user agent at the per-address limit', async () => {
    const started = Date.now();
    const queue: Array<[string, number]> = [];
    for (let i = 0; i < 600; i += 1) {
      queue.push(['203.0.113.77', i]);
      if (i % 20 === 0) for (let v = 1; v <= 5; v += 1) queue.push([`192.0.2.${10 + v}`, i]);
    }
    const floodStatuses: number[] = [];
    const otherAnswers: Array<{ status: number; dropped: string | null }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < queue.length) {
          const [ip, i] = queue[next++];
          if (ip === '203.0.113.77') {
            // A new browser version on every request: a new anonymous visitor each time.
            const ua = BROWSER_UA.replace('126.0.0.0', `126.0.${i}.0`);
            floodStatuses.push((await send(ip, i, ua)).status);
          } else otherAnswers.push(await send(ip, i));
        }
      })
    );
    const windows = Math.floor(Date.now() / 60_000) - Math.floor(started / 60_000) + 1;
    const accepted = floodStatuses.filter((s) => s === 202).length;
    const limited = floodStatuses.filter((s) => s === 429).length;
    const othersServed = otherAnswers.filter((r) => r.status === 202 && !r.dropped).length;
    const results = [
      judged(
        'rate limit',
        `600, one address, new UA each: accepted (limit ${PER_ADDRESS}/min)`,
        accepted,
        '<=',
        PER_ADDRESS * windows
      ),
      judged('rate limit', 'rotating flood: answered 429', limited, '==', 600 - accepted),
      judged(
        'rate limit',
        `5 other addresses during it: served of ${otherAnswers.length}`,
        othersServed,
        '==',
        otherAnswers.length
      ),
    ];
    expect(accepted).toBeGreaterThanOrEqual(PER_ADDRESS);
    expect(results).toEqual([true, true, true]);
  });
});
