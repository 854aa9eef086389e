import { ConfigError } from '@foxhound/service-kit';
import { loadRouterConfig } from './env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadRouterConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadRouterConfig', () => {
  it('defaults: port 8080, namespace default, port allow-list 8888, DNS resolver, no pod CIDRs', () => {
    expect(loadRouterConfig({})).toStrictEqual({
      host: '0.0.0.0',
      port: 8080,
      logLevel: 'info',
      shutdownTimeoutMs: 25_000,
      defaultNamespace: 'default',
      allowedPorts: new Set([8888]),
      podCidrs: [],
      clusterDomain: 'cluster.local',
      idleTimeoutMs: 180_000,
      connectTimeoutMs: 5_000,
      authToken: undefined,
      resolver: 'dns',
      manager: undefined,
      allowLoopbackUpstream: false,
      maxSocketsPerHost: 64,
    });
  });

  it('reads every variable', () => {
    expect(
      loadRouterConfig({
        PORT: '9090',
        ROUTER_DEFAULT_NAMESPACE: 'sandboxes',
        ROUTER_ALLOWED_PORTS: '8888, 9000',
        ROUTER_POD_CIDRS: '10.0.0.0/8, fd00::/8',
        ROUTER_CLUSTER_DOMAIN: 'corp.example',
        ROUTER_IDLE_TIMEOUT_SECONDS: '0.5',
        ROUTER_CONNECT_TIMEOUT_SECONDS: '2',
        ROUTER_AUTH_TOKEN: 'a-router-token-of-length',
        ROUTER_RESOLVER: 'manager',
        SANDBOX_MANAGER_URL: 'http://manager:8081',
        SANDBOX_MANAGER_TOKEN: 'a-manager-token-of-length',
        ROUTER_ALLOW_LOOPBACK_UPSTREAM: 'true',
        ROUTER_MAX_SOCKETS_PER_HOST: '8',
      }),
    ).toMatchObject({
      port: 9090,
      defaultNamespace: 'sandboxes',
      allowedPorts: new Set([8888, 9000]),
      podCidrs: ['10.0.0.0/8', 'fd00::/8'],
      clusterDomain: 'corp.example',
      idleTimeoutMs: 500,
      connectTimeoutMs: 2000,
      authToken: 'a-router-token-of-length',
      resolver: 'manager',
      manager: { url: 'http://manager:8081', token: 'a-manager-token-of-length' },
      allowLoopbackUpstream: true,
      maxSocketsPerHost: 8,
    });
  });

  it.each([
    [
      'a manager resolver without its URL',
      { ROUTER_RESOLVER: 'manager' },
      /^SANDBOX_MANAGER_URL: required when ROUTER_RESOLVER=manager/,
    ],
    ['an unknown resolver', { ROUTER_RESOLVER: 'consul' }, /^ROUTER_RESOLVER: /],
    [
      'a port list with a word in it',
      { ROUTER_ALLOWED_PORTS: '8888,http' },
      /^ROUTER_ALLOWED_PORTS: "http" is not a port/,
    ],
    [
      'a port out of range',
      { ROUTER_ALLOWED_PORTS: '70000' },
      /^ROUTER_ALLOWED_PORTS: "70000" is not a port/,
    ],
    [
      'a CIDR without a prefix',
      { ROUTER_POD_CIDRS: '10.0.0.0' },
      /^ROUTER_POD_CIDRS: "10.0.0.0" is not a CIDR/,
    ],
    [
      'a CIDR with a prefix too long',
      { ROUTER_POD_CIDRS: '10.0.0.0/33' },
      /^ROUTER_POD_CIDRS: .*longer than 32 bits/,
    ],
    ['a CIDR with a host name', { ROUTER_POD_CIDRS: 'pods/16' }, /^ROUTER_POD_CIDRS: /],
    [
      'a namespace that is not a DNS label',
      { ROUTER_DEFAULT_NAMESPACE: 'Team_A' },
      /^ROUTER_DEFAULT_NAMESPACE: /,
    ],
    [
      'a cluster domain with a slash',
      { ROUTER_CLUSTER_DOMAIN: 'cluster.local/x' },
      /^ROUTER_CLUSTER_DOMAIN: expected a DNS name/,
    ],
    ['an idle timeout of zero', { ROUTER_IDLE_TIMEOUT_SECONDS: '0' }, /^ROUTER_IDLE_TIMEOUT_SECONDS: /],
    [
      'a short auth token',
      { ROUTER_AUTH_TOKEN: 'short' },
      /^ROUTER_AUTH_TOKEN: must be at least 16 characters$/,
    ],
    [
      'a manager URL with another scheme',
      { ROUTER_RESOLVER: 'manager', SANDBOX_MANAGER_URL: 'file:///x' },
      /^SANDBOX_MANAGER_URL: /,
    ],
    [
      'a loopback opt-in that is not a boolean',
      { ROUTER_ALLOW_LOOPBACK_UPSTREAM: 'sure' },
      /^ROUTER_ALLOW_LOOPBACK_UPSTREAM: /,
    ],
    ['zero sockets per host', { ROUTER_MAX_SOCKETS_PER_HOST: '0' }, /^ROUTER_MAX_SOCKETS_PER_HOST: /],
  ])('names the variable for %s', (_name, env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});
