// Bad values fail at install with a message naming the value: values.schema.json for shapes and
// types, templates/validate.yaml for rules that span several values.
import { render, type RenderOptions } from './render';

const rejected: Array<[string, RenderOptions, string]> = [
  [
    'zero gateway replicas',
    { set: { 'gateway.replicaCount': 0 } },
    'gateway.replicaCount: Must be greater than or equal to 1',
  ],
  [
    'a root user id',
    { set: { 'global.securityContext.runAsUser': 0 } },
    'global.securityContext.runAsUser: Must be greater than or equal to 1',
  ],
  [
    'a misspelled key',
    { set: { 'gateway.replicas': 2 } },
    'gateway: Additional property replicas is not allowed',
  ],
  [
    'an unknown auth mode',
    { set: { 'gateway.config.GATEWAY_AUTH_MODE': 'none' } },
    'gateway.config.GATEWAY_AUTH_MODE must be one of the following: "keys", "open"',
  ],
  [
    'a secret in a service config',
    { setString: { 'gateway.config.DATABASE_URL': 'postgres://u:p@db/foxhound' } },
    'gateway.config: Additional property DATABASE_URL is not allowed',
  ],
  [
    'an env var the contract does not list',
    { setString: { 'executor.config.NODE_OPTIONS': '--inspect' } },
    'executor.config: Additional property NODE_OPTIONS is not allowed',
  ],
  [
    'a negative warm pool',
    { set: { 'executor.sandbox.warmPool.replicas': -1 } },
    'executor.sandbox.warmPool.replicas: Must be greater than or equal to 0',
  ],
  [
    'an unknown secrets source',
    { set: { 'global.secrets.source': 'sops' } },
    'global.secrets.source must be one of the following',
  ],
  [
    'an unknown router resolver',
    { set: { 'sandbox-router.config.ROUTER_RESOLVER': 'k8s' } },
    'sandbox-router.config.ROUTER_RESOLVER must be one of the following: "dns", "manager"',
  ],
  [
    'a non-numeric turn limit',
    { setString: { 'executor.config.EXECUTOR_MAX_TURNS': 'many' } },
    'executor.config.EXECUTOR_MAX_TURNS: Does not match pattern',
  ],
  [
    'a memory limit that is not a quantity',
    { setString: { 'gateway.resources.limits.memory': 'lots' } },
    'gateway.resources.limits.memory: Does not match pattern',
  ],
  [
    'an ephemeral-storage limit removed',
    { values: { executor: { sandbox: { resources: { limits: { 'ephemeral-storage': null } } } } } },
    'executor.sandbox.resources.limits.ephemeral-storage: Invalid type',
  ],
  [
    'a runtime class that is not a DNS label',
    { setString: { 'executor.sandbox.runtimeClassName': 'gVisor!' } },
    'executor.sandbox.runtimeClassName: Does not match pattern',
  ],
  [
    'a bad CIDR for the API server',
    { values: { global: { networkPolicy: { kubeApi: { cidrs: ['10.0.0.1'] } } } } },
    'global.networkPolicy.kubeApi.cidrs.0: Does not match pattern',
  ],
  [
    'a digest that is not sha256',
    { setString: { 'gateway.image.digest': 'latest' } },
    'gateway.image.digest: Does not match pattern',
  ],
  [
    'a shutdown timeout of zero',
    { set: { 'global.shutdownTimeoutSeconds': 0 } },
    'global.shutdownTimeoutSeconds: Must be greater than or equal to 1',
  ],
  [
    'an unknown service type',
    { set: { 'gateway.service.type': 'ExternalName' } },
    'gateway.service.type must be one of the following',
  ],
  // templates/validate.yaml
  [
    'PGlite with several gateways',
    { set: { 'gateway.replicaCount': 3 } },
    'gateway.database.mode=pglite runs exactly one gateway',
  ],
  [
    'PGlite with autoscaling',
    { set: { 'gateway.autoscaling.enabled': true } },
    'gateway.database.mode=pglite runs exactly one gateway',
  ],
  [
    'an external database without DATABASE_URL',
    { set: { 'gateway.database.mode': 'external' } },
    'gateway.database.mode=external needs DATABASE_URL',
  ],
  [
    'an existing secret without its names',
    { set: { 'global.secrets.source': 'existing' } },
    'global.secrets.source=existing needs global.secrets.existing.internal',
  ],
  [
    'External Secrets without a store',
    { set: { 'global.secrets.source': 'external-secrets' } },
    'needs global.secrets.externalSecrets.secretStoreRef.name',
  ],
  [
    'DNS routing without sandbox Services',
    { set: { 'executor.sandbox.service': false } },
    'ROUTER_RESOLVER=dns finds sandboxes through their headless Service',
  ],
  [
    'Prometheus the NetworkPolicy would block',
    { setString: { 'executor.config.PROMETHEUS_URL': 'http://prometheus:9090' } },
    'executor.networkPolicy.prometheus.to is empty',
  ],
  [
    'allowed ports without the executor port',
    { setString: { 'sandbox-router.config.ROUTER_ALLOWED_PORTS': '8080' } },
    'ROUTER_ALLOWED_PORTS must include 8888',
  ],
  [
    'the anthropic provider without a key',
    { set: { 'executor.config.EXECUTOR_PROVIDER': 'anthropic' } },
    'EXECUTOR_PROVIDER=anthropic needs ANTHROPIC_API_KEY',
  ],
  [
    'open auth on a public load balancer',
    { set: { 'gateway.config.GATEWAY_AUTH_MODE': 'open' } },
    'GATEWAY_AUTH_MODE=open (no authentication, demo only) on a public LoadBalancer',
  ],
];

describe('values that fail the install', () => {
  it.each(rejected)('rejects %s', (_name, options, message) => {
    const result = render(options);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(message);
  });
});

const accepted: Array<[string, RenderOptions]> = [
  ['a cold-only warm pool', { set: { 'executor.sandbox.warmPool.replicas': 0 } }],
  ['numbers given as strings', { setString: { 'sandbox-manager.config.SANDBOX_MAX_TOTAL': '50' } }],
  [
    'open auth behind a ClusterIP',
    { set: { 'gateway.config.GATEWAY_AUTH_MODE': 'open', 'gateway.service.type': 'ClusterIP' } },
  ],
  [
    'an external database with its URL',
    {
      set: {
        'gateway.database.mode': 'external',
        'global.secrets.values.databaseUrl': 'postgres://db/foxhound',
      },
    },
  ],
  ['NetworkPolicies off', { set: { 'global.networkPolicy.enabled': false } }],
  ['no preStop hook', { set: { 'global.preStopSleepSeconds': 0 } }],
];

describe('values that install', () => {
  it.each(accepted)('accepts %s', (_name, options) => {
    const result = render(options);
    expect(result.stderr).toBe('');
    expect(result.ok).toBe(true);
  });
});
