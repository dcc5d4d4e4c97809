import { MAX_BODY_BYTES, readJsonBody } from '../../server/src/collection/request-body';

describe('tracking request bodies', () => {
  it('reads the JSON a tracker sends as text/plain, or that Strapi already parsed', () => {
    expect(readJsonBody({ body: '{"type":"pageview"}' })).toEqual({
      ok: true,
      value: { type: 'pageview' },
    });
    expect(readJsonBody({ body: [{ type: 'event' }] })).toEqual({
      ok: true,
      value: [{ type: 'event' }],
    });
  });

  it.each<[string, { length?: number; body?: unknown }, string]>([
    ['no body', {}, 'body is empty'],
    ['a blank text body', { body: ' \n' }, 'body is empty'],
    ['an empty object (what a parser makes of nothing)', { body: {} }, 'body is empty'],
    ['text that is not JSON', { body: '{type: pageview}' }, 'body is not valid JSON'],
  ])('answers 400 to %s', (_what, request, message) => {
    expect(readJsonBody(request)).toEqual({ ok: false, status: 400, message });
  });

  it('answers 413 above 8 KiB, declared, sent as text or parsed', () => {
    const tooLarge = { ok: false, status: 413, message: 'body must be at most 8192 bytes' };
    const big = JSON.stringify({ url: 'x'.repeat(MAX_BODY_BYTES) });
    expect(readJsonBody({ length: MAX_BODY_BYTES + 1, body: '{}' })).toEqual(tooLarge);
    expect(readJsonBody({ body: big })).toEqual(tooLarge);
    expect(readJsonBody({ body: JSON.parse(big) })).toEqual(tooLarge);
    // Bytes, not characters: 4100 two-byte characters are over the limit.
    expect(readJsonBody({ body: `"${'é'.repeat(4100)}"` })).toEqual(tooLarge);
    expect(readJsonBody({ body: `"${'e'.repeat(MAX_BODY_BYTES - 2)}"` }).ok).toBe(true);
  });

  it('takes a larger limit where one is given (a Umami batch)', () => {
    const batch = JSON.stringify(Array(300).fill({ type: 'event', payload: { url: '/' } }));
    expect(readJsonBody({ body: batch }).ok).toBe(false);
    expect(readJsonBody({ body: batch }, MAX_BODY_BYTES * 8).ok).toBe(true);
  });
});
