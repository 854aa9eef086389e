import { createAddressPolicy, type AddressOrigin } from './address';

const strict = createAddressPolicy({
  podCidrs: ['10.0.0.0/8', 'fd00:10::/64'],
  allowLoopbackUpstream: false,
});
const local = createAddressPolicy({ podCidrs: [], allowLoopbackUpstream: true });

describe('address policy', () => {
  it.each<[string, string, AddressOrigin, boolean]>([
    ['pod IP inside the CIDRs', '10.3.0.9', 'header', true],
    ['IPv6 pod IP inside the CIDRs', 'fd00:10::9', 'header', true],
    ['pod IP outside the CIDRs', '172.16.0.1', 'header', false],
    ['IPv4-mapped pod IP inside the CIDRs', '::ffff:10.3.0.9', 'header', true],
    ['manager address outside the pod CIDRs (trusted source)', '172.16.0.1', 'manager', true],
    ['DNS answer outside the pod CIDRs (a ClusterIP)', '10.96.0.1', 'dns', true],
    ['loopback from a header', '127.0.0.1', 'header', false],
    ['loopback from the manager without the opt-in', '127.0.0.1', 'manager', false],
    ['loopback from DNS', '127.0.0.53', 'dns', false],
    ['mapped loopback from DNS', '::ffff:127.0.0.1', 'dns', false],
    ['cloud metadata from the manager', '169.254.169.254', 'manager', false],
    ['cloud metadata from DNS', '169.254.169.254', 'dns', false],
    ['IPv4-compatible metadata from DNS', '::a9fe:a9fe', 'dns', false],
    ['NAT64 metadata from DNS', '64:ff9b::a9fe:a9fe', 'dns', false],
    ['6to4 from DNS', '2002:a9fe:a9fe::1', 'dns', false],
    ['AWS IPv6 metadata from the manager', 'fd00:ec2::254', 'manager', false],
    ['Alibaba metadata from DNS', '100.100.100.200', 'dns', false],
    ['link-local IPv6 from DNS', 'fe80::1', 'dns', false],
    ['multicast from the manager', '239.1.1.1', 'manager', false],
    ['IPv6 multicast from DNS', 'ff02::1', 'dns', false],
    ['unspecified IPv4', '0.0.0.0', 'manager', false],
    ['unspecified IPv6', '::', 'manager', false],
    ['broadcast', '255.255.255.255', 'dns', false],
    ['a host name', 'localhost', 'manager', false],
    ['an address with a zone id', 'fd00:10::9%eth0', 'header', false],
  ])('strict: %s', (_name, address, origin, allowed) => {
    expect(strict.allows(address, origin)).toBe(allowed);
  });

  it.each<[string, string, AddressOrigin, boolean]>([
    ['loopback from the manager with the opt-in', '127.0.0.1', 'manager', true],
    ['IPv6 loopback from the manager with the opt-in', '::1', 'manager', true],
    ['loopback from a header, opt-in or not', '127.0.0.1', 'header', false],
    ['loopback from DNS, opt-in or not', '127.0.0.1', 'dns', false],
    ['any pod IP when no CIDR is configured', '10.3.0.9', 'header', false],
    ['metadata from the manager, opt-in or not', '169.254.169.254', 'manager', false],
  ])('one-machine: %s', (_name, address, origin, allowed) => {
    expect(local.allows(address, origin)).toBe(allowed);
  });
});
