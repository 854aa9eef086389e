import { type Request } from 'express';
import { sourceAddress } from './source-address';

const req = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as Request;

describe('sourceAddress', () => {
  it.each([
    ['an IPv4 peer as it is', req('10.1.2.3'), 0, '10.1.2.3'],
    ['an IPv4-mapped IPv6 peer as IPv4', req('::ffff:10.1.2.3'), 0, '10.1.2.3'],
    ['an IPv6 peer by its /64', req('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), 0, '2001:db8:1:2::/64'],
    ['a compressed IPv6 peer by its /64', req('2001:db8::1'), 0, '2001:db8:0:0::/64'],
    [
      'the peer when no proxy is trusted, whatever X-Forwarded-For says',
      req('10.0.0.1', '1.2.3.4'),
      0,
      '10.0.0.1',
    ],
    ['the entry the trusted proxy appended', req('10.0.0.1', '6.6.6.6, 1.2.3.4'), 1, '1.2.3.4'],
    ['the entry two trusted proxies back', req('10.0.0.1', '1.2.3.4, 10.0.0.9'), 2, '1.2.3.4'],
    ['the peer when the forwarded entry is not an address', req('10.0.0.1', 'not-an-ip'), 1, '10.0.0.1'],
    ['the peer when there are fewer entries than hops', req('10.0.0.1', '1.2.3.4'), 2, '10.0.0.1'],
  ])('keys %s', (_name, request, hops, expected) => {
    expect(sourceAddress(request, hops)).toBe(expected);
  });
});
