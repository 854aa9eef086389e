// Which IP addresses the router may connect to. Every upstream address passes through here, whatever
// its source: X-Sandbox-Pod-IP (must also sit inside ROUTER_POD_CIDRS), the sandbox-manager's answer,
// and what DNS returns for a sandbox's Service name (a Service of type ExternalName could otherwise
// point the router anywhere). Loopback is allowed only for the manager's answers and only when
// ROUTER_ALLOW_LOOPBACK_UPSTREAM is set; the other blocked classes are never allowed.
import { BlockList, isIP } from 'node:net';
import { CIDR_PATTERN } from '../config/schema';

/** Where an address came from decides which rules apply to it. */
export type AddressOrigin = 'header' | 'manager' | 'dns';

type Family = 'ipv4' | 'ipv6';
type Rule = readonly [address: string, prefix: number, family: Family];

const LOOPBACK: readonly Rule[] = [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
];

// Never an upstream. BlockList also matches IPv4-mapped IPv6 (`::ffff:169.254.169.254`) against the
// IPv4 rules; the IPv6 rules below cover the other ways of embedding an IPv4 address.
const NEVER: readonly Rule[] = [
  ['0.0.0.0', 8, 'ipv4'], // unspecified, "this network"
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata (169.254.169.254)
  ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud metadata
  ['192.0.0.192', 32, 'ipv4'], // Oracle Cloud metadata
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved and broadcast
  ['::', 96, 'ipv6'], // unspecified and IPv4-compatible (`::a9fe:a9fe`); ::1 is in LOOPBACK
  ['64:ff9b::', 96, 'ipv6'], // NAT64: embeds an IPv4 address
  ['2002::', 16, 'ipv6'], // 6to4: embeds an IPv4 address
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
  ['fd00:ec2::254', 128, 'ipv6'], // AWS metadata over IPv6
];

export interface AddressPolicy {
  /** True when the router may connect to `address` (an IP literal) that came from `origin`. */
  allows(address: string, origin: AddressOrigin): boolean;
}

export interface AddressPolicyOptions {
  /** ROUTER_POD_CIDRS: X-Sandbox-Pod-IP must fall inside one of them. */
  podCidrs: readonly string[];
  /** ROUTER_ALLOW_LOOPBACK_UPSTREAM: the manager's answers may be loopback. */
  allowLoopbackUpstream: boolean;
}

function blockListOf(rules: readonly Rule[]): BlockList {
  const list = new BlockList();
  for (const [address, prefix, family] of rules) list.addSubnet(address, prefix, family);
  return list;
}

export function createAddressPolicy(options: AddressPolicyOptions): AddressPolicy {
  const never = blockListOf(NEVER);
  const loopback = blockListOf(LOOPBACK);
  const podNetworks = blockListOf(
    options.podCidrs.map((cidr): Rule => {
      const [, address, prefix] = CIDR_PATTERN.exec(cidr) ?? [];
      return [address!, Number(prefix), isIP(address!) === 6 ? 'ipv6' : 'ipv4'];
    }),
  );
  return {
    allows(address, origin) {
      // A zone id (`fe80::1%eth0`) would pick an interface; isIP accepts it, we do not.
      const version = address.includes('%') ? 0 : isIP(address);
      if (version === 0) return false;
      const family: Family = version === 6 ? 'ipv6' : 'ipv4';
      // Loopback first: ::1 also sits inside ::/96, which NEVER blocks.
      if (loopback.check(address, family)) return origin === 'manager' && options.allowLoopbackUpstream;
      if (never.check(address, family)) return false;
      return origin !== 'header' || podNetworks.check(address, family);
    },
  };
}
