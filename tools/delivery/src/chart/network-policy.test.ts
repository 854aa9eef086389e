// Who may talk to whom under the rendered NetworkPolicies, evaluated flow by flow against the real
// pod labels: gateway ← load balancer; router ← gateway only; executor ← router only; executor →
// the API server's own address, Anthropic's API ranges and Prometheus only; gateway → its JWKS
// endpoint when JWTs are on; the release's pods denied everything else, other workloads in a shared
// namespace left alone (unless the namespace-wide deny is asked for).
import { componentOf, podTemplates } from './manifests';
import { createFlowChecker, type Endpoint, inCidr } from './network-policy';
import { NAMESPACE, renderObjects } from './render';
import { CLUSTER_VALUES, VARIANTS } from './variants';

type Variant = 'default' | 'production' | 'all-options' | 'own-namespace' | 'in-cluster-idp';
const CHECKED: Variant[] = ['default', 'production', 'all-options', 'own-namespace', 'in-cluster-idp'];

function endpointsFor(variant: Variant): Record<string, Endpoint> {
  const objects = renderObjects(VARIANTS[variant]);
  const endpoints: Record<string, Endpoint> = {};
  podTemplates(objects).forEach((template, index) => {
    const name = componentOf(template);
    endpoints[name] = {
      name,
      namespace: template.namespace,
      labels: template.labels,
      ip: `10.244.1.${10 + index}`,
    };
  });
  const executor = endpoints.executor;
  return {
    ...endpoints,
    'another-sandbox': { ...executor, name: 'another-sandbox', ip: '10.244.2.20' },
    dns: { name: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.244.0.2' },
    prometheus: {
      name: 'prometheus',
      namespace: 'monitoring',
      labels: { 'app.kubernetes.io/name': 'prometheus' },
      ip: '10.244.3.3',
    },
    'ingress-controller': {
      name: 'ingress-controller',
      namespace: 'ingress-nginx',
      labels: { app: 'ingress-nginx' },
      ip: '10.244.4.4',
    },
    'neighbour-pod': {
      name: 'neighbour-pod',
      namespace: NAMESPACE,
      labels: { app: 'something-else' },
      ip: '10.244.5.5',
    },
    'other-tenant': { name: 'other-tenant', namespace: 'tenant-a', labels: { app: 'web' }, ip: '10.244.6.6' },
    'internet-client': { name: 'internet-client', labels: {}, ip: '203.0.113.7' },
    // The `helm test` pod (a bare Pod, so not among the pod templates).
    tests: {
      name: 'tests',
      namespace: NAMESPACE,
      labels: {
        'app.kubernetes.io/name': 'tests',
        'app.kubernetes.io/instance': 'foxhound',
        'app.kubernetes.io/part-of': 'foxhound',
      },
      ip: '10.244.7.7',
    },
    keycloak: {
      name: 'keycloak',
      namespace: 'auth',
      labels: { 'app.kubernetes.io/name': 'keycloak' },
      ip: '10.244.8.8',
    },
    'jwks-idp': { name: 'jwks-idp', labels: {}, ip: '198.51.100.20' },
    'private-host': { name: 'private-host', labels: {}, ip: '10.0.0.5' },
    'anthropic-api': { name: 'anthropic-api', labels: {}, ip: '160.79.104.10' },
    'api-server': { name: 'api-server', labels: {}, ip: '172.18.0.2' },
    'cloud-metadata': { name: 'cloud-metadata', labels: {}, ip: '169.254.169.254' },
  };
}

const flows: Array<[Variant, string, string, number, boolean]> = [
  // The public edge.
  ['default', 'internet-client', 'gateway', 8000, true],
  ['default', 'internet-client', 'sandbox-router', 8080, false],
  ['default', 'internet-client', 'sandbox-manager', 8081, false],
  ['default', 'internet-client', 'executor', 8888, false],
  ['all-options', 'internet-client', 'gateway', 8000, false],
  ['all-options', 'ingress-controller', 'gateway', 8000, true],
  // Service to service.
  ['default', 'gateway', 'sandbox-manager', 8081, true],
  ['default', 'gateway', 'sandbox-router', 8080, true],
  ['default', 'sandbox-router', 'executor', 8888, true],
  ['production', 'sandbox-router', 'executor', 8888, true],
  ['all-options', 'sandbox-router', 'executor', 8888, true],
  ['default', 'sandbox-router', 'sandbox-manager', 8081, false],
  ['all-options', 'sandbox-router', 'sandbox-manager', 8081, true],
  ['default', 'gateway', 'executor', 8888, false],
  ['default', 'sandbox-manager', 'executor', 8888, false],
  ['default', 'sandbox-manager', 'gateway', 8000, false],
  // The executor: reached by the router only, reaches the API server, Anthropic and Prometheus only.
  ['default', 'executor', 'gateway', 8000, false],
  ['default', 'executor', 'sandbox-manager', 8081, false],
  ['default', 'executor', 'sandbox-router', 8080, false],
  ['default', 'executor', 'another-sandbox', 8888, false],
  ['default', 'another-sandbox', 'executor', 8888, false],
  ['default', 'executor', 'api-server', 6443, true],
  ['default', 'executor', 'api-server', 443, true],
  ['default', 'executor', 'private-host', 443, false],
  ['default', 'executor', 'private-host', 6443, false],
  ['default', 'executor', 'anthropic-api', 443, true],
  ['default', 'executor', 'internet-client', 443, false],
  ['default', 'executor', 'jwks-idp', 443, false],
  ['default', 'executor', 'anthropic-api', 80, false],
  ['default', 'executor', 'cloud-metadata', 80, false],
  ['default', 'executor', 'internet-client', 22, false],
  ['default', 'executor', 'prometheus', 9090, false],
  ['production', 'executor', 'prometheus', 9090, true],
  ['all-options', 'executor', 'neighbour-pod', 443, false],
  ['all-options', 'executor', 'api-server', 6443, true],
  // Kubernetes API: the manager and the executor only.
  ['default', 'sandbox-manager', 'api-server', 6443, true],
  ['default', 'sandbox-manager', 'private-host', 443, false],
  ['default', 'gateway', 'api-server', 6443, false],
  ['default', 'gateway', 'api-server', 443, false],
  ['default', 'sandbox-router', 'api-server', 6443, false],
  ['default', 'gateway', 'anthropic-api', 443, false],
  ['default', 'sandbox-router', 'anthropic-api', 443, false],
  // The JWKS endpoint: reachable only when GATEWAY_JWT_JWKS_URL is set, on the peers it needs.
  ['default', 'gateway', 'jwks-idp', 443, false],
  ['all-options', 'gateway', 'jwks-idp', 443, true],
  ['all-options', 'gateway', 'jwks-idp', 80, false],
  ['all-options', 'gateway', 'private-host', 443, false],
  ['in-cluster-idp', 'gateway', 'keycloak', 8080, true],
  ['in-cluster-idp', 'gateway', 'jwks-idp', 443, false],
  ['default', 'gateway', 'keycloak', 8080, false],
  // The `helm test` pod reaches the gateway only, also when the gateway's sources are restricted.
  ['default', 'tests', 'gateway', 8000, true],
  ['all-options', 'tests', 'gateway', 8000, true],
  ['default', 'tests', 'sandbox-manager', 8081, false],
  ['default', 'tests', 'internet-client', 443, false],
  // Default deny for the release's pods only: a neighbour in a shared namespace keeps its own
  // traffic, and still cannot reach what only Foxhound may reach.
  ['default', 'neighbour-pod', 'gateway', 8000, true],
  ['default', 'neighbour-pod', 'internet-client', 443, true],
  ['default', 'neighbour-pod', 'sandbox-router', 8080, false],
  ['default', 'neighbour-pod', 'executor', 8888, false],
  ['own-namespace', 'neighbour-pod', 'gateway', 8000, false],
  ['own-namespace', 'neighbour-pod', 'internet-client', 443, false],
  ['default', 'other-tenant', 'sandbox-router', 8080, false],
  ['default', 'other-tenant', 'executor', 8888, false],
  // Metrics scraping, when configured.
  ['default', 'prometheus', 'sandbox-manager', 8081, false],
  ['production', 'prometheus', 'sandbox-manager', 8081, true],
  ['production', 'prometheus', 'executor', 8888, true],
  ['production', 'prometheus', 'sandbox-router', 8080, true],
];

const checkers = Object.fromEntries(
  CHECKED.map((variant) => {
    const endpoints = endpointsFor(variant);
    return [variant, { allowed: createFlowChecker(renderObjects(VARIANTS[variant])), endpoints }];
  }),
);

describe('NetworkPolicy flows', () => {
  it.each(flows)('%s values: %s → %s:%d allowed is %s', (variant, from, to, port, expected) => {
    const { allowed, endpoints } = checkers[variant];
    expect(allowed(endpoints[from], endpoints[to], port)).toBe(expected);
  });

  it.each(['gateway', 'sandbox-manager', 'sandbox-router', 'executor'])(
    'lets %s resolve names through cluster DNS',
    (component) => {
      const { allowed, endpoints } = checkers.default;
      expect(allowed(endpoints[component], endpoints.dns, 53, 'UDP')).toBe(true);
      expect(allowed(endpoints[component], endpoints.dns, 53, 'TCP')).toBe(true);
    },
  );

  it('labels the router pods app=sandbox-router, as the agent-sandbox default policy expects', () => {
    expect(checkers.default.endpoints['sandbox-router'].labels.app).toBe('sandbox-router');
  });

  it('puts the executor sandboxes of the production values in their own namespace behind the same rules', () => {
    const { endpoints } = checkers.production;
    expect(endpoints.executor.namespace).toBe('foxhound-sandboxes');
    expect(endpoints['sandbox-router'].namespace).toBe(NAMESPACE);
  });
});

it('allows everything when NetworkPolicies are off (so the checker can tell the difference)', () => {
  const objects = renderObjects({
    valuesFiles: [CLUSTER_VALUES],
    set: { 'global.networkPolicy.enabled': false },
  });
  const allowed = createFlowChecker(objects);
  const endpoints = endpointsFor('default');
  expect(allowed(endpoints.executor, endpoints.gateway, 8000)).toBe(true);
  expect(objects.filter((object) => object.kind === 'NetworkPolicy')).toEqual([]);
});

it('scopes the default deny to the release pods, and to the whole namespace only when asked', () => {
  const deny = (variant: Variant) =>
    renderObjects(VARIANTS[variant]).find((object) => object.metadata.name === 'foxhound-default-deny')!;
  expect((deny('default').spec as { podSelector: unknown }).podSelector).toEqual({
    matchLabels: { 'app.kubernetes.io/instance': 'foxhound', 'app.kubernetes.io/part-of': 'foxhound' },
  });
  expect((deny('own-namespace').spec as { podSelector: unknown }).podSelector).toEqual({});
});

it.each([
  ['10.244.1.10', '10.244.0.0/16', true],
  ['10.245.0.1', '10.244.0.0/16', false],
  ['169.254.169.254', '0.0.0.0/0', true],
  ['192.168.1.1', '192.168.0.0/16', true],
])('inCidr(%s, %s) is %s', (ip, cidr, expected) => {
  expect(inCidr(ip, cidr)).toBe(expected);
});

it("lets the executor reach a self-hosted model server and HTTP MCP servers only where their rules say, and not Anthropic's API when the provider is openai", () => {
  const objects = renderObjects({
    ...VARIANTS.default,
    values: {
      executor: {
        config: {
          EXECUTOR_PROVIDER: 'openai',
          OPENAI_BASE_URL: 'http://vllm.models:8000/v1',
          OPENAI_MODEL: 'qwen3-32b',
          EXECUTOR_MCP_SERVERS: '[{"name":"logs","url":"http://10.30.0.7:8080/mcp","allow":["query"]}]',
        },
        networkPolicy: {
          openai: { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] },
          mcp: { to: [{ ipBlock: { cidr: '10.30.0.0/24' } }] },
        },
      },
    },
  });
  const allowed = createFlowChecker(objects);
  const { executor, gateway } = endpointsFor('default');
  const model = { name: 'vllm', labels: {}, ip: '10.20.4.2' };
  const mcp = { name: 'loki-mcp', labels: {}, ip: '10.30.0.7' };
  expect(allowed(executor, model, 8000)).toBe(true);
  expect(allowed(executor, model, 22)).toBe(false);
  expect(allowed(gateway, model, 8000)).toBe(false);
  expect(allowed(executor, mcp, 8080)).toBe(true);
  expect(allowed(executor, { name: 'other', labels: {}, ip: '10.40.0.1' }, 8080)).toBe(false);
  expect(allowed(executor, { name: 'anthropic-api', labels: {}, ip: '160.79.104.10' }, 443)).toBe(false);
});
