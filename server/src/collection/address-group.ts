/**
 * The key the per-address rate limit counts under: an IPv4 address as is (an IPv4-mapped IPv6
 * address included), an IPv6 address by its /64 network — one subscriber usually gets a whole
 * /64 and can pick any address in it. Anything else (an empty or odd `ctx.ip`) is its own key.
 * It runs on every tracking request, so it is plain string work and checks only what building
 * the key needs: an odd string can only ever count against itself.
 */
export function addressGroup(ip: string): string {
  if (!ip.includes(':')) return ip;
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:') && lower.includes('.')) return lower.slice(7);
  // A zone index (fe80::1%eth0) names the interface, not the host.
  const zone = lower.indexOf('%');
  const network = network64(zone === -1 ? lower : lower.slice(0, zone));
  return network === null ? ip : `${network}::/64`;
}

/** The first four 16-bit groups of an IPv6 address, without leading zeros; null if malformed. */
function network64(address: string): string | null {
  // Usually the first four groups are written out: read them straight off the string.
  let network = '';
  let start = 0;
  for (let i = 0; i < 4; i += 1) {
    const end = address.indexOf(':', start);
    if (end <= start || end - start > 4) return expandedNetwork64(address);
    let digit = start;
    while (digit < end - 1 && address.charCodeAt(digit) === 48) digit += 1; // leading '0's
    network += (i ? ':' : '') + address.slice(digit, end);
    start = end + 1;
  }
  return network.includes('.') ? null : network;
}

/** network64 for an address whose `::` falls within its first four groups. */
function expandedNetwork64(address: string): string | null {
  const gap = address.indexOf('::');
  let groups: string[];
  if (gap === -1) groups = address.split(':');
  else {
    if (address.indexOf('::', gap + 1) !== -1) return null;
    const left = gap ? address.slice(0, gap).split(':') : [];
    const right = gap + 2 < address.length ? address.slice(gap + 2).split(':') : [];
    // An embedded IPv4 tail (::1.2.3.4) stands for two groups.
    const rightGroups = right.length + (right[right.length - 1]?.includes('.') ? 1 : 0);
    const zeros = 8 - left.length - rightGroups;
    if (zeros < 1) return null;
    groups = [...left, ...Array<string>(zeros).fill('0'), ...right];
  }
  if (groups.length < 4) return null;
  let network = '';
  for (let i = 0; i < 4; i += 1) {
    const group = groups[i];
    if (!group || group.length > 4 || group.includes('.')) return null;
    let start = 0;
    while (start < group.length - 1 && group[start] === '0') start += 1;
    network += (i ? ':' : '') + group.slice(start);
  }
  return network;
}
