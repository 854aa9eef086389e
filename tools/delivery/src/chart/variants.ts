// The value sets every chart check runs against: the chart defaults, the kind and EKS values files,
// and one with every optional feature switched on (separate sandbox namespace, Kata, scoped RBAC,
// actions, manager resolver, ingress with TLS, Vault secrets, an external database, Prometheus).
import { type RenderOptions } from './render';

export const SANDBOX_NAMESPACE = 'foxhound-sandboxes';

export const VARIANTS: Record<string, RenderOptions> = {
  default: {},
  dev: { valuesFiles: ['values-dev.yaml'] },
  production: { valuesFiles: ['values-production.yaml'] },
  'all-options': {
    values: {
      global: {
        image: { registry: 'registry.example.com/foxhound/', tag: 'abc123def456' },
        imagePullSecrets: ['registry-credentials'],
        sandboxNamespace: SANDBOX_NAMESPACE,
        createSandboxNamespace: true,
        secrets: { source: 'vault', vault: { vaultAuthRef: 'foxhound' } },
        networkPolicy: {
          kubeApi: { cidrs: ['172.18.0.0/16'], ports: [6443] },
          metricsScrapers: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
          ],
        },
      },
      runtimeClasses: { gvisor: { create: true }, kata: { create: true } },
      gateway: {
        replicaCount: 3,
        database: { mode: 'external' },
        config: {
          GATEWAY_JWT_JWKS_URL: 'https://login.example.com/.well-known/jwks.json',
          GATEWAY_JWT_ISSUER: 'https://login.example.com/',
        },
        service: { type: 'ClusterIP' },
        ingress: {
          enabled: true,
          className: 'nginx',
          annotations: { 'nginx.ingress.kubernetes.io/proxy-buffering': 'off' },
          tls: [{ secretName: 'foxhound-tls', hosts: ['foxhound.example.com'] }],
        },
        networkPolicy: {
          ingressFrom: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
          ],
        },
      },
      'sandbox-manager': { actions: { enabled: true, namespaces: ['shop'] } },
      'sandbox-router': {
        image: { digest: `sha256:${'a'.repeat(64)}` },
        config: { ROUTER_RESOLVER: 'manager', ROUTER_IDLE_TIMEOUT_SECONDS: 300 },
      },
      executor: {
        config: { PROMETHEUS_URL: 'http://prometheus.monitoring.svc:9090', EXECUTOR_PROVIDER: 'auto' },
        rbac: { namespaces: ['shop', 'payments'] },
        sandbox: { runtimeClassName: 'kata-qemu', warmPool: { replicas: 0 } },
        networkPolicy: {
          prometheus: {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
              },
            ],
          },
        },
      },
    },
  },
};

export const VARIANT_NAMES = Object.keys(VARIANTS);
