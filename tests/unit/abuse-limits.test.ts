import { addressGroup } from '../../server/src/collection/address-group';
import { KnownEntries } from '../../server/src/collection/known-entries';
import { proxyTrustWarning } from '../../server/src/collection/proxy-trust';
import { RateLimiter, perAddressLimit } from '../../server/src/collection/rate-limiter';
import { compileAllowList } from '../../server/src/collection/site-allow-list';
import { plausibleSite, trackerSite, umamiSite } from '../../server/src/collection/site-claim';

describe('client address groups', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:db8:85a3:1234:5678:9abc:def0:1', '2001:db8:85a3:1234::/64'],
    ['2001:0db8:85a3:1234:0000:0000:0000:0002', '2001:db8:85a3:1234::/64'],
    ['2001:DB8:85A3:1234::ffff', '2001:db8:85a3:1234::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:1::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    ['', ''],
    ['not an address', 'not an address'],
    ['1:2:3', '1:2:3'],
    ['1::2::3', '1::2::3'],
  ])('%s counts as %s', (ip, group) => {
    expect(addressGroup(ip)).toBe(group);
  });

  it('puts every address of one /64 in one group and the next /64 in another', () => {
    const prefix = '2001:db8:aaaa:1';
    const groups = new Set(
      Array.from({ length: 50 }, (_, i) => addressGroup(`${prefix}:${i.toString(16)}::${i}`))
    );
    expect(groups).toEqual(new Set(['2001:db8:aaaa:1::/64']));
    expect(addressGroup('2001:db8:aaaa:2::1')).not.toBe(addressGroup('2001:db8:aaaa:1::1'));
  });

  it('caps a rotating /64 at the per-address limit while another /64 is served', () => {
    const limits = { perVisitorPerMinute: 3, perAddressPerMinute: null };
    expect(perAddressLimit(limits)).toBe(30);
    const limiter = new RateLimiter(() => perAddressLimit(limits));
    const now = Date.UTC(2026, 0, 1, 12, 0, 5);
    let accepted = 0;
    for (let i = 0; i < 100; i += 1) {
      if (limiter.allow(addressGroup(`2001:db8:1:2::${i.toString(16)}`), now)) accepted += 1;
    }
    expect(accepted).toBe(30);
    expect(limiter.allow(addressGroup('2001:db8:1:3::1'), now)).toBe(true);
    // The next minute starts a new window.
    expect(limiter.allow(addressGroup('2001:db8:1:2::1'), now + 60_000)).toBe(true);
    expect(perAddressLimit({ perVisitorPerMinute: 3, perAddressPerMinute: 7 })).toBe(7);
  });
});

describe('hostname allow-list', () => {
  const list = compileAllowList([
    'example.com',
    '*.blog.example.org',
    '3f0a1b2c-1d2e-4f50-8a9b-0c1d2e3f4a5b',
  ])!;

  it.each([
    [{ hostnames: ['example.com'] }, true],
    [{ hostnames: ['WWW.Example.com.'] }, true],
    [{ hostnames: ['shop.example.com'] }, false],
    [{ hostnames: ['a.blog.example.org'] }, true],
    [{ hostnames: ['www.blog.example.org'] }, true],
    [{ hostnames: ['blog.example.org'] }, false],
    [{ hostnames: ['evilexample.com'] }, false],
    [{ hostnames: ['other.net', 'example.com'] }, true],
    [{ hostnames: [] }, false],
    [{ hostnames: ['other.net'], website: '3F0A1B2C-1D2E-4F50-8A9B-0C1D2E3F4A5B' }, true],
    [{ hostnames: ['other.net'], website: '00000000-1d2e-4f50-8a9b-0c1d2e3f4a5b' }, false],
  ])('%j → %s', (claim, allowed) => {
    expect(list.allows(claim)).toBe(allowed);
  });

  it('is off when empty', () => {
    expect(compileAllowList([])).toBeNull();
  });

  it('reads the site each endpoint names', () => {
    expect(trackerSite({ url: 'https://Shop.Example.com/a?b=1' })).toEqual({
      hostnames: ['shop.example.com'],
    });
    expect(plausibleSite({ d: 'example.com, other.net', u: 'https://x.net/' })).toEqual({
      hostnames: ['example.com', 'other.net'],
    });
    expect(plausibleSite({ name: 'pageview', url: 'https://x.net/a' })).toEqual({
      hostnames: ['x.net'],
    });
    expect(
      umamiSite({ type: 'event', payload: { website: 'w', hostname: 'example.com', url: '/a' } })
    ).toEqual({ hostnames: ['example.com'], website: 'w' });
    expect(umamiSite({ type: 'event', payload: { website: 'w', url: '/a' } })).toEqual({
      hostnames: [],
      website: 'w',
    });
  });
});

describe('proxy settings warning', () => {
  it('warns when clients can choose their address, and only then', () => {
    expect(proxyTrustWarning({ proxy: true, maxIpsCount: 0 })).toMatch(
      /left-most X-Forwarded-For .*maxIpsCount/
    );
    expect(
      proxyTrustWarning({ proxy: true, proxyIpHeader: 'X-Real-IP', maxIpsCount: 0 })
    ).toContain('X-Real-IP');
    expect(proxyTrustWarning({ proxy: true, maxIpsCount: 1 })).toBeNull();
    expect(proxyTrustWarning({ proxy: false, maxIpsCount: 0 })).toBeNull();
  });
});

describe('entry existence at write time', () => {
  type Row = {
    source: string;
    content_type: string | null;
    document_id: string | null;
    locale: string | null;
    path: string;
  };
  const row = (source: string, id: string | null, uid = 'api::article.article'): Row => ({
    source,
    content_type: id ? uid : null,
    document_id: id,
    locale: id ? 'en' : null,
    path: `/p/${id}`,
  });

  it('strips missing entries from tracker rows with one lookup per content type, then caches', async () => {
    const lookups: Array<[string, string[]]> = [];
    const existing = new Set(['real1', 'real2']);
    const entries = new KnownEntries(async (uid, ids) => {
      lookups.push([uid, ids]);
      return new Set(ids.filter((id) => existing.has(id)));
    });
    const batch = [
      ...Array.from({ length: 50 }, (_, i) => row('tracker', i % 2 ? 'real1' : `ghost${i}`)),
      row('tracker', 'real2', 'api::page.page'),
      row('api', 'ghost-api'),
      row('tracker', null),
    ];
    const out = await entries.resolve(batch, 1_000);
    expect(lookups.map(([uid, ids]) => [uid, ids.length])).toEqual([
      ['api::article.article', 26],
      ['api::page.page', 1],
    ]);
    expect(out.filter((r) => r.document_id === 'real1')).toHaveLength(25);
    expect(out.filter((r) => r.document_id?.startsWith('ghost'))).toEqual([
      row('api', 'ghost-api'),
    ]);
    expect(out[0]).toEqual({ ...batch[0], content_type: null, document_id: null, locale: null });
    expect(out[0].path).toBe('/p/ghost0');
    expect(batch[0].document_id).toBe('ghost0'); // the queued row itself is left alone

    // Known both ways: no lookup until the missing ones' shorter time runs out.
    await entries.resolve(batch, 30_000);
    expect(lookups).toHaveLength(2);
    existing.add('ghost0');
    const later = await entries.resolve([row('tracker', 'ghost0')], 62_000);
    expect(lookups).toHaveLength(3);
    expect(later[0].document_id).toBe('ghost0');
  });

  it('returns the batch itself when every entry exists', async () => {
    const entries = new KnownEntries(async (_uid, ids) => new Set(ids));
    const batch = [row('tracker', 'a'), row('plausible', null)];
    expect(await entries.resolve(batch)).toBe(batch);
  });
});
