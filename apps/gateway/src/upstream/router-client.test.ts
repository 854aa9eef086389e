import { type SandboxDescriptor } from '@foxhound/contracts';
import { RouterClient } from './router-client';

const base: SandboxDescriptor = {
  sandboxId: 'fh-inc-42-1a2b3c',
  threadId: 'inc-42',
  namespace: 'foxhound-sandboxes',
  port: 8888,
  podIP: '10.0.3.7',
  reused: false,
  backend: 'kubernetes',
  createdAt: '2026-11-22T06:00:00.000Z',
  expiresAt: '2026-11-22T08:00:00.000Z',
};

describe('RouterClient.headersFor', () => {
  const client = new RouterClient({ baseUrl: 'http://router:8080', token: 'router-token-0123456789' });

  it('addresses a cluster sandbox by id, namespace, port and pod IP', () => {
    expect(client.headersFor(base)).toStrictEqual({
      'x-sandbox-id': 'fh-inc-42-1a2b3c',
      'x-sandbox-namespace': 'foxhound-sandboxes',
      'x-sandbox-port': '8888',
      'x-sandbox-pod-ip': '10.0.3.7',
      authorization: 'Bearer router-token-0123456789',
    });
  });

  it('addresses a local sandbox by id alone, leaving its loopback address and port to the manager', () => {
    expect(client.headersFor({ ...base, backend: 'local', podIP: '127.0.0.1', port: 40123 })).toStrictEqual({
      'x-sandbox-id': 'fh-inc-42-1a2b3c',
      'x-sandbox-namespace': 'foxhound-sandboxes',
      authorization: 'Bearer router-token-0123456789',
    });
  });
});
