// The address a request came from, as the key of the per-source limit and of denial counts. Behind
// `trustedProxyHops` proxies the address is read from X-Forwarded-For (the entry the outermost trusted
// proxy appended); otherwise the socket's peer. IPv4-mapped IPv6 is written as IPv4, and IPv6 is
// grouped by /64, the block one subscriber usually holds, so rotating addresses inside it gains nothing.
import { isIP } from 'node:net';
import { type Request } from 'express';

export function sourceAddress(req: Request, trustedProxyHops: number): string {
  let address = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops > 0) {
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const forwarded = hops[hops.length - trustedProxyHops];
    if (forwarded && isIP(forwarded)) address = forwarded;
  }
  return normalise(address);
}

function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  return `${expand(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` expanded. */
function expand(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...(address.includes('::') ? zeros : []), ...right].map((g) =>
    g.toLowerCase().replace(/^0+(?=.)/, ''),
  );
}
