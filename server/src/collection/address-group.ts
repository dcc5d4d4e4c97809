import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key the per-address rate limit counts under: an IPv4 address as is (an IPv4-mapped IPv6
 * address included), an IPv6 address by its /64 network — one subscriber usually gets a whole
 * /64 and can pick any address in it. Anything else (an empty or odd `ctx.ip`) is its own key.
 */
export function addressGroup(ip: string): string {
  if (ip.includes(':')) {
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
    if (mapped && isIPv4(mapped[1])) return mapped[1];
    // A zone index (fe80::1%eth0) names the interface, not the host.
    const address = ip.split('%', 1)[0];
    if (isIPv6(address)) return `${network64(address)}::/64`;
  }
  return ip;
}

/** The first four 16-bit groups of a valid IPv6 address, lower-case, without leading zeros. */
function network64(address: string): string {
  const [head, tail] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) fills the last two groups, never the first four.
  const rightGroups = right.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - rightGroups)).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((group) => (group.includes('.') ? '0' : group.replace(/^0+(?=.)/, '')))
    .join(':');
}
