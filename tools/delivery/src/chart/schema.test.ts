// Bad values fail at install with a message naming the value: values.schema.json for shapes and
// types, templates/validate.yaml for rules that span several values.
import { render, type RenderOptions } from './render';
import { CLUSTER_VALUES } from './variants';

/** Every case renders as an install would, with the API server's address the cluster supplies. */
const asInstall = (options: RenderOptions): RenderOptions => ({
  ...options,
  valuesFiles: [CLUSTER_VALUES, ...(options.valuesFiles ?? [])],
});

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
    {
      set: {
        'gateway.config.GATEWAY_AUTH_MODE': 'open',
        'gateway.service.type': 'LoadBalancer',
        'gateway.insecureHttp': true,
      },
    },
    'GATEWAY_AUTH_MODE=open (no authentication, demo only) on a public LoadBalancer',
  ],
  // templates/validate-delivery.yaml: TLS wherever the API is public.
  [
    'a public load balancer without TLS',
    { set: { 'gateway.service.type': 'LoadBalancer' } },
    'gateway.service.type=LoadBalancer would serve the API over plain HTTP',
  ],
  [
    'an internet-facing NLB without a certificate',
    { set: { 'gateway.service.type': 'LoadBalancer', 'gateway.service.aws.nlb': true } },
    'gateway.service.type=LoadBalancer would serve the API over plain HTTP',
  ],
  [
    'a NodePort without TLS',
    { set: { 'gateway.service.type': 'NodePort' } },
    'gateway.service.type=NodePort serves the API over plain HTTP',
  ],
  ['an ingress without TLS', { set: { 'gateway.ingress.enabled': true } }, 'gateway.ingress has no TLS'],
  [
    'an ingress with two certificates',
    {
      values: {
        gateway: {
          ingress: {
            enabled: true,
            tls: [{ secretName: 'mine', hosts: ['foxhound.example.com'] }],
            certManager: { issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
          },
        },
      },
    },
    "both name the ingress's certificate",
  ],
  [
    'a certificate without an NLB',
    {
      setString: {
        'gateway.service.aws.certificateArn':
          'arn:aws:acm:us-east-1:123456789012:certificate/0b5f3c2e-1d4a-4c8e-9f6b-2a7d8e9c0f11',
      },
    },
    "gateway.service.aws.certificateArn is the NLB's TLS certificate",
  ],
  [
    'a certificate that is not an ACM ARN',
    { setString: { 'gateway.service.aws.certificateArn': 'my-cert' } },
    'gateway.service.aws.certificateArn: Does not match pattern',
  ],
  // Configurations the chart's own NetworkPolicies would break.
  [
    'an in-cluster JWKS endpoint behind the public-only default',
    { setString: { 'gateway.config.GATEWAY_JWT_JWKS_URL': 'http://keycloak.auth.svc:8080/certs' } },
    'names keycloak.auth.svc, a Service inside the cluster',
  ],
  [
    'a JWKS endpoint on a private address the default excludes',
    { setString: { 'gateway.config.GATEWAY_JWT_JWKS_URL': 'https://10.1.2.3/jwks.json' } },
    'names the private address 10.1.2.3',
  ],
  [
    'a JWKS endpoint with no peers',
    {
      setString: { 'gateway.config.GATEWAY_JWT_JWKS_URL': 'https://login.example.com/jwks.json' },
      values: { gateway: { networkPolicy: { jwks: { to: [] } } } },
    },
    'gateway.networkPolicy.jwks.to is empty',
  ],
  [
    "a model endpoint other than Anthropic behind Anthropic's ranges",
    { setString: { 'executor.config.ANTHROPIC_BASE_URL': 'https://llm-proxy.internal.example.com' } },
    'ANTHROPIC_BASE_URL points at llm-proxy.internal.example.com',
  ],
  [
    'the OpenAI-compatible provider without a server',
    { setString: { 'executor.config.EXECUTOR_PROVIDER': 'openai' } },
    'EXECUTOR_PROVIDER=openai needs executor.config.OPENAI_BASE_URL',
  ],
  [
    'a model server without a model',
    { setString: { 'executor.config.OPENAI_BASE_URL': 'http://vllm.models:8000/v1' } },
    'OPENAI_BASE_URL needs executor.config.OPENAI_MODEL',
  ],
  [
    'a model server the NetworkPolicy would block',
    {
      setString: {
        'executor.config.OPENAI_BASE_URL': 'http://vllm.models:8000/v1',
        'executor.config.OPENAI_MODEL': 'qwen3-32b',
      },
    },
    'executor.networkPolicy.openai.to is empty',
  ],
  [
    'registry hosts the NetworkPolicy would block',
    { setString: { 'executor.config.EXECUTOR_REGISTRY_HOSTS': 'ghcr.io' } },
    'executor.networkPolicy.registries.to is empty',
  ],
  [
    'HTTP MCP servers the NetworkPolicy would block',
    {
      values: {
        executor: {
          config: {
            EXECUTOR_MCP_SERVERS: '[{"name":"logs","url":"http://loki-mcp.obs:8080/mcp","allow":["query"]}]',
          },
        },
      },
    },
    'executor.networkPolicy.mcp.to is empty',
  ],
  [
    'an effort the executor does not know',
    { setString: { 'executor.config.ANTHROPIC_EFFORT': 'extreme' } },
    'executor.config.ANTHROPIC_EFFORT must be one of the following',
  ],
  [
    'a fallback that is not offline',
    { setString: { 'executor.config.EXECUTOR_FALLBACK': 'openai' } },
    'executor.config.EXECUTOR_FALLBACK must be one of the following',
  ],
];

describe('values that fail the install', () => {
  it.each(rejected)('rejects %s', (_name, options, message) => {
    const result = render(asInstall(options));
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
  [
    'plain HTTP asked for on a load balancer',
    { set: { 'gateway.service.type': 'LoadBalancer', 'gateway.insecureHttp': true } },
  ],
  [
    'an internal NLB without a certificate',
    {
      set: {
        'gateway.service.type': 'LoadBalancer',
        'gateway.service.aws.nlb': true,
        'gateway.service.aws.scheme': 'internal',
      },
    },
  ],
  [
    'a model proxy with its own peers',
    {
      setString: { 'executor.config.ANTHROPIC_BASE_URL': 'https://llm-proxy.internal.example.com' },
      values: { executor: { networkPolicy: { anthropic: { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] } } } },
    },
  ],
  [
    'a model proxy with the offline engine',
    {
      setString: {
        'executor.config.ANTHROPIC_BASE_URL': 'https://llm-proxy.example.com',
        'executor.config.EXECUTOR_PROVIDER': 'offline',
      },
    },
  ],
  [
    'a JWKS endpoint on the internet on its own port',
    { setString: { 'gateway.config.GATEWAY_JWT_JWKS_URL': 'https://login.example.com:8443/jwks.json' } },
  ],
];

it('refuses to render without the API server address when there is no cluster to ask', () => {
  const result = render({});
  expect(result.ok).toBe(false);
  expect(result.stderr).toContain('global.networkPolicy.kubeApi.cidrs is empty');
  expect(result.stderr).toContain('k8s/scripts/kube-api-cidrs.sh');
  // With NetworkPolicies off there is nothing to narrow, so nothing to ask for.
  expect(render({ set: { 'global.networkPolicy.enabled': false } }).ok).toBe(true);
});

describe('values that install', () => {
  it.each(accepted)('accepts %s', (_name, options) => {
    const result = render(asInstall(options));
    expect(result.stderr).toBe('');
    expect(result.ok).toBe(true);
  });
});
