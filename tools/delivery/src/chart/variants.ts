// The value sets every chart check runs against: the chart defaults, the kind and EKS values files,
// one with every optional feature switched on (separate sandbox namespace, Kata, scoped RBAC,
// actions, manager resolver, ingress with cert-manager TLS, JWT from a public JWKS, Vault secrets,
// an external database, Prometheus, the Prometheus Operator objects and the escape hatches), and
// the other ways to expose or isolate it: an internal NLB, plain HTTP asked for, a namespace Foxhound
// has to itself (namespace-wide deny) and an in-cluster identity provider. Each adds
// tools/delivery/values/cluster.yaml: the API server's address, which `helm install` reads from the
// cluster and `helm template` cannot.
import { type RenderOptions } from './render';

export const SANDBOX_NAMESPACE = 'foxhound-sandboxes';
export const CLUSTER_VALUES = '../../tools/delivery/values/cluster.yaml';
export const PRODUCTION_ENVIRONMENT = '../../tools/delivery/values/production-environment.yaml';

const ALL_OPTIONS: Record<string, unknown> = {
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
  monitoring: {
    serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
    prometheusRule: { enabled: true, alertLabels: { team: 'sre' } },
    dashboard: { enabled: true, namespace: 'monitoring', annotations: { grafana_folder: 'Foxhound' } },
  },
  extraObjects: [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: '{{ .Release.Name }}-trust',
        namespace: '{{ .Release.Namespace }}',
        labels: {
          'app.kubernetes.io/instance': '{{ .Release.Name }}',
          'app.kubernetes.io/part-of': 'foxhound',
          'app.kubernetes.io/version': 'extra',
          'app.kubernetes.io/managed-by': 'Helm',
          'helm.sh/chart': 'extra',
        },
      },
      data: { 'ca.crt': 'corporate CA bundle' },
    },
  ],
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
      certManager: { issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
    },
    networkPolicy: {
      ingressFrom: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      ],
    },
    extraEnv: [{ name: 'NODE_EXTRA_CA_CERTS', value: '/etc/foxhound/trust/ca.crt' }],
    extraEnvFrom: [],
    extraVolumes: [{ name: 'trust', configMap: { name: 'foxhound-trust' } }],
    extraVolumeMounts: [{ name: 'trust', mountPath: '/etc/foxhound/trust', readOnly: true }],
    podAnnotations: { 'example.com/owner': 'sre' },
    podLabels: { 'example.com/team': 'sre' },
  },
  'sandbox-manager': { actions: { enabled: true, namespaces: ['shop'] } },
  'sandbox-router': {
    image: { digest: `sha256:${'a'.repeat(64)}` },
    config: { ROUTER_RESOLVER: 'manager', ROUTER_IDLE_TIMEOUT_SECONDS: 300 },
  },
  executor: {
    config: {
      PROMETHEUS_URL: 'http://prometheus.monitoring.svc:9090',
      EXECUTOR_PROVIDER: 'auto',
      ANTHROPIC_EFFORT: 'high',
      ANTHROPIC_MAX_TOKENS_PER_CALL: 8192,
      EXECUTOR_FALLBACK: 'offline',
      EXECUTOR_TOOL_TIMEOUT_SECONDS: 20,
    },
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
};

export const VARIANTS: Record<string, RenderOptions> = {
  default: { valuesFiles: [CLUSTER_VALUES] },
  dev: { valuesFiles: ['values-dev.yaml', CLUSTER_VALUES] },
  production: { valuesFiles: ['values-production.yaml', CLUSTER_VALUES, PRODUCTION_ENVIRONMENT] },
  'all-options': { valuesFiles: [CLUSTER_VALUES], values: ALL_OPTIONS },
  'internal-nlb': {
    valuesFiles: [CLUSTER_VALUES],
    values: { gateway: { service: { type: 'LoadBalancer', aws: { nlb: true, scheme: 'internal' } } } },
  },
  'http-on-purpose': {
    valuesFiles: [CLUSTER_VALUES],
    values: {
      gateway: {
        insecureHttp: true,
        service: { type: 'LoadBalancer', loadBalancerSourceRanges: ['198.51.100.0/24'] },
      },
    },
  },
  'own-namespace': {
    valuesFiles: [CLUSTER_VALUES],
    values: { global: { networkPolicy: { namespaceWideDeny: true } } },
  },
  'in-cluster-idp': {
    valuesFiles: [CLUSTER_VALUES],
    values: {
      gateway: {
        config: {
          GATEWAY_JWT_JWKS_URL: 'http://keycloak.auth.svc:8080/realms/sre/protocol/openid-connect/certs',
        },
        networkPolicy: {
          jwks: {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'auth' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keycloak' } },
              },
            ],
          },
        },
      },
    },
  },
};

export const VARIANT_NAMES = Object.keys(VARIANTS);
