import { InputError } from '@foxhound/service-kit';
import { createAddressPolicy } from './address';
import { HEADER_MESSAGES, parseSandboxHeaders, type HeaderRules } from './headers';

const rules: HeaderRules = {
  defaultNamespace: 'default',
  allowedPorts: new Set([8888, 9000]),
  idleTimeoutMs: 180_000,
  addressPolicy: createAddressPolicy({
    podCidrs: ['10.0.0.0/8', 'fd00:10::/64'],
    allowLoopbackUpstream: true,
  }),
};

const ok = { id: 'sb-1', namespace: 'default', port: 8888, podIp: undefined, idleTimeoutMs: 180_000 };

describe('parseSandboxHeaders', () => {
  it.each([
    ['only the id: defaults for the rest', { 'x-sandbox-id': 'sb-1' }, ok],
    ['a 63-character id', { 'x-sandbox-id': 'a'.repeat(63) }, { ...ok, id: 'a'.repeat(63) }],
    [
      'namespace, port and pod IP',
      {
        'x-sandbox-id': 'sb-1',
        'x-sandbox-namespace': 'team-a',
        'x-sandbox-port': '9000',
        'x-sandbox-pod-ip': '10.4.0.7',
      },
      { ...ok, namespace: 'team-a', port: 9000, podIp: '10.4.0.7' },
    ],
    [
      'an IPv6 pod IP inside the CIDR',
      { 'x-sandbox-id': 'sb-1', 'x-sandbox-pod-ip': 'fd00:10::7' },
      { ...ok, podIp: 'fd00:10::7' },
    ],
    [
      'X-Sandbox-Timeout lowers the idle timeout',
      { 'x-sandbox-id': 'sb-1', 'x-sandbox-timeout': '2.5' },
      { ...ok, idleTimeoutMs: 2500 },
    ],
    [
      'X-Sandbox-Timeout above the configured one is capped',
      { 'x-sandbox-id': 'sb-1', 'x-sandbox-timeout': '9999' },
      ok,
    ],
    [
      'X-Sandbox-Timeout of .5',
      { 'x-sandbox-id': 'sb-1', 'x-sandbox-timeout': '.5' },
      { ...ok, idleTimeoutMs: 500 },
    ],
  ])('valid: %s', (_name, headers, expected) => {
    expect(parseSandboxHeaders(headers, rules)).toStrictEqual(expected);
  });

  it.each([
    ['missing id', {}, HEADER_MESSAGES.idRequired],
    ['empty id', { 'x-sandbox-id': '' }, HEADER_MESSAGES.idRequired],
    ['id with a dot (another host)', { 'x-sandbox-id': 'evil.com' }, HEADER_MESSAGES.badId],
    ['id with a colon (a port)', { 'x-sandbox-id': 'sb:80' }, HEADER_MESSAGES.badId],
    ['id with userinfo', { 'x-sandbox-id': 'user@evil' }, HEADER_MESSAGES.badId],
    ['id with a slash', { 'x-sandbox-id': 'sb/../x' }, HEADER_MESSAGES.badId],
    ['id with percent-encoding', { 'x-sandbox-id': 'sb%2eevil' }, HEADER_MESSAGES.badId],
    ['id with upper case', { 'x-sandbox-id': 'SB-1' }, HEADER_MESSAGES.badId],
    ['id starting with a dash', { 'x-sandbox-id': '-sb' }, HEADER_MESSAGES.badId],
    ['id ending with a dash', { 'x-sandbox-id': 'sb-' }, HEADER_MESSAGES.badId],
    ['id of 64 characters', { 'x-sandbox-id': 'a'.repeat(64) }, HEADER_MESSAGES.badId],
    ['id with whitespace', { 'x-sandbox-id': 'sb 1' }, HEADER_MESSAGES.badId],
    ['id with a null byte', { 'x-sandbox-id': 'sb\u00001' }, HEADER_MESSAGES.badId],
    ['id sent twice', { 'x-sandbox-id': 'sb-1, sb-2' }, HEADER_MESSAGES.badId],
    [
      'namespace with a dot',
      { 'x-sandbox-id': 'sb', 'x-sandbox-namespace': 'default.svc' },
      HEADER_MESSAGES.badNamespace,
    ],
    ['empty namespace', { 'x-sandbox-id': 'sb', 'x-sandbox-namespace': '' }, HEADER_MESSAGES.badNamespace],
    [
      'namespace with a hash',
      { 'x-sandbox-id': 'sb', 'x-sandbox-namespace': 'a#b' },
      HEADER_MESSAGES.badNamespace,
    ],
    [
      'port that is not a number',
      { 'x-sandbox-id': 'sb', 'x-sandbox-port': 'http' },
      HEADER_MESSAGES.badPort,
    ],
    ['port 0', { 'x-sandbox-id': 'sb', 'x-sandbox-port': '0' }, HEADER_MESSAGES.badPort],
    ['port 65536', { 'x-sandbox-id': 'sb', 'x-sandbox-port': '65536' }, HEADER_MESSAGES.badPort],
    ['port with a sign', { 'x-sandbox-id': 'sb', 'x-sandbox-port': '+8888' }, HEADER_MESSAGES.badPort],
    [
      'port with a host in it',
      { 'x-sandbox-id': 'sb', 'x-sandbox-port': '8888@evil' },
      HEADER_MESSAGES.badPort,
    ],
    ['port in hex', { 'x-sandbox-id': 'sb', 'x-sandbox-port': '0x22b8' }, HEADER_MESSAGES.badPort],
    [
      'port outside the allow-list',
      { 'x-sandbox-id': 'sb', 'x-sandbox-port': '22' },
      HEADER_MESSAGES.portNotAllowed,
    ],
    [
      'pod IP that does not parse',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': 'not-an-ip' },
      HEADER_MESSAGES.badPodIp,
    ],
    [
      'pod IP that is a host name',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': 'metadata.google.internal' },
      HEADER_MESSAGES.badPodIp,
    ],
    [
      'pod IP with a port',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '10.0.0.1:80' },
      HEADER_MESSAGES.badPodIp,
    ],
    [
      'pod IP in brackets',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '[fd00:10::7]' },
      HEADER_MESSAGES.badPodIp,
    ],
    ['pod IP in short form', { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '10.1' }, HEADER_MESSAGES.badPodIp],
    ['pod IP in octal', { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '012.0.0.1' }, HEADER_MESSAGES.badPodIp],
    [
      'pod IP as a decimal integer',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '167772161' },
      HEADER_MESSAGES.badPodIp,
    ],
    [
      'pod IP outside the pod CIDRs',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '192.168.1.10' },
      HEADER_MESSAGES.badPodIp,
    ],
    [
      'loopback pod IP (even with the manager loopback opt-in)',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '127.0.0.1' },
      HEADER_MESSAGES.badPodIp,
    ],
    ['IPv6 loopback pod IP', { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '::1' }, HEADER_MESSAGES.badPodIp],
    [
      'metadata pod IP',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '169.254.169.254' },
      HEADER_MESSAGES.badPodIp,
    ],
    [
      'IPv4-mapped metadata pod IP',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '::ffff:169.254.169.254' },
      HEADER_MESSAGES.badPodIp,
    ],
    [
      'link-local IPv6 pod IP with a zone',
      { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': 'fe80::1%eth0' },
      HEADER_MESSAGES.badPodIp,
    ],
    ['unspecified pod IP', { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '0.0.0.0' }, HEADER_MESSAGES.badPodIp],
    ['multicast pod IP', { 'x-sandbox-id': 'sb', 'x-sandbox-pod-ip': '224.0.0.1' }, HEADER_MESSAGES.badPodIp],
    [
      'timeout that is not a number',
      { 'x-sandbox-id': 'sb', 'x-sandbox-timeout': 'soon' },
      HEADER_MESSAGES.badTimeout,
    ],
    ['timeout of zero', { 'x-sandbox-id': 'sb', 'x-sandbox-timeout': '0' }, HEADER_MESSAGES.badTimeout],
    ['negative timeout', { 'x-sandbox-id': 'sb', 'x-sandbox-timeout': '-1' }, HEADER_MESSAGES.badTimeout],
    ['infinite timeout', { 'x-sandbox-id': 'sb', 'x-sandbox-timeout': 'inf' }, HEADER_MESSAGES.badTimeout],
    ['NaN timeout', { 'x-sandbox-id': 'sb', 'x-sandbox-timeout': 'nan' }, HEADER_MESSAGES.badTimeout],
    [
      'timeout with an exponent',
      { 'x-sandbox-id': 'sb', 'x-sandbox-timeout': '1e3' },
      HEADER_MESSAGES.badTimeout,
    ],
  ])('400: %s', (_name, headers, message) => {
    const result = parseSandboxHeaders(headers, rules);
    expect(result).toBeInstanceOf(InputError);
    expect((result as InputError).message).toBe(message);
  });
});
