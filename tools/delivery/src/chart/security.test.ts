// How every pod runs: non-root, read-only root filesystem, no privilege, resource limits, probes on
// /healthz and /readyz, a grace period above the drain deadline; and the executor's sandbox pods as
// agent-sandbox builds them (runtime class when asked, port 8888, /tmp on an emptyDir, its read-only
// ServiceAccount the only token-mounting pod besides the manager).
import { type IContainer, type IPodSpec } from 'kubernetes-models/v1';
import {
  componentOf,
  containersOf,
  getObject,
  type K8sObject,
  type PodTemplate,
  podTemplates,
  spec,
} from './manifests';
import { renderObjects } from './render';
import { SANDBOX_NAMESPACE, VARIANT_NAMES, VARIANTS } from './variants';

const rendered = Object.fromEntries(VARIANT_NAMES.map((name) => [name, renderObjects(VARIANTS[name])]));

function envValue(container: IContainer, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value;
}

function templateOf(objects: readonly K8sObject[], component: string): PodTemplate {
  return podTemplates(objects).find((template) => componentOf(template) === component)!;
}

describe.each(VARIANT_NAMES)('%s values', (variant) => {
  const objects = rendered[variant];
  const templates = podTemplates(objects);

  it.each(templates.map((template): [string, PodTemplate] => [componentOf(template), template]))(
    '%s runs as non-root with a read-only root filesystem and no privileges',
    (_component, { spec: pod }) => {
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
      expect(pod.hostIPC ?? false).toBe(false);
      expect((pod.volumes ?? []).filter((volume) => volume.hostPath)).toEqual([]);
      expect(pod.enableServiceLinks).toBe(false);
      for (const container of containersOf(pod)) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext?.privileged ?? false).toBe(false);
        expect(container.securityContext?.capabilities?.add ?? []).toEqual([]);
        expect(container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser).not.toBe(0);
        // A read-only root needs a writable /tmp.
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
        expect(pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir?.sizeLimit).toBeTruthy();
        expect(container.resources?.limits).toEqual(
          expect.objectContaining({
            cpu: expect.anything(),
            memory: expect.anything(),
            'ephemeral-storage': expect.anything(),
          }),
        );
        expect(container.resources?.requests).toEqual(
          expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
        );
        expect(container.image).not.toMatch(/:latest$/);
      }
    },
  );

  it.each(['gateway', 'sandbox-manager', 'sandbox-router'])(
    '%s probes /healthz and /readyz and outlives its drain deadline',
    (component) => {
      const { spec: pod } = templateOf(objects, component);
      const container = pod.containers[0];
      expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      expect(container.startupProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
      const drain = Number(envValue(container, 'SHUTDOWN_TIMEOUT_SECONDS'));
      const preStop = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drain + preStop);
    },
  );

  it('mounts a ServiceAccount token only in the manager and the executor', () => {
    const mounting = templates
      .filter((template) => template.spec.automountServiceAccountToken !== false)
      .map(componentOf)
      .sort();
    expect(mounting).toEqual(['executor', 'sandbox-manager']);
    for (const account of objects.filter((object) => object.kind === 'ServiceAccount')) {
      // The action writer never runs a pod: its tokens are minted per action (TokenRequest).
      const writer = account.metadata.name.endsWith('-action-writer');
      expect(account.automountServiceAccountToken).toBe(
        !writer && ['executor', 'sandbox-manager'].includes(componentOf(account)),
      );
    }
  });

  it('renders the executor as a SandboxTemplate and a SandboxWarmPool, never a Deployment', () => {
    expect(
      objects
        .filter((object) => object.kind === 'Deployment')
        .map(componentOf)
        .sort(),
    ).toEqual(['gateway', 'sandbox-manager', 'sandbox-router']);
    const template = getObject(objects, 'SandboxTemplate', 'foxhound-executor');
    const pool = getObject(objects, 'SandboxWarmPool', 'foxhound-executor');
    expect(template.apiVersion).toBe('extensions.agents.x-k8s.io/v1beta1');
    expect(pool.apiVersion).toBe('extensions.agents.x-k8s.io/v1beta1');
    expect(spec(template)).toMatchObject({ networkPolicyManagement: 'Unmanaged', service: true });
    expect(spec(pool)).toMatchObject({ sandboxTemplateRef: { name: 'foxhound-executor' } });
    expect(Number.isInteger(spec(pool).replicas)).toBe(true);

    const { spec: pod, namespace } = templateOf(objects, 'executor');
    const container = pod.containers[0];
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8888, protocol: 'TCP' }]);
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(pod.serviceAccountName).toBe('foxhound-executor');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(getObject(objects, 'ServiceAccount', 'foxhound-executor').metadata.namespace).toBe(namespace);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      Number(envValue(container, 'SHUTDOWN_TIMEOUT_SECONDS')),
    );
  });
});

describe('the sandbox runtime class', () => {
  const runtimeClassOf = (objects: readonly K8sObject[]): IPodSpec['runtimeClassName'] =>
    templateOf(objects, 'executor').spec.runtimeClassName;

  it('is left to the node default unless asked for', () => {
    expect(runtimeClassOf(rendered.default)).toBeUndefined();
  });

  it.each([
    ['dev', 'gvisor'],
    ['production', 'gvisor'],
    ['all-options', 'kata-qemu'],
  ])('is used by the %s sandbox pods (%s)', (variant, runtimeClass) => {
    expect(runtimeClassOf(rendered[variant])).toBe(runtimeClass);
  });

  it('is created with the runsc handler and its gVisor node scheduling in production', () => {
    const runtimeClass = getObject(rendered.production, 'RuntimeClass', 'gvisor');
    expect(runtimeClass.handler).toBe('runsc');
    expect(runtimeClass.scheduling).toMatchObject({
      nodeSelector: { 'foxhound.dev/sandbox-runtime': 'gvisor' },
    });
    expect(rendered.default.filter((object) => object.kind === 'RuntimeClass')).toEqual([]);
  });

  it('offers Kata with its pod overhead', () => {
    const kata = getObject(rendered['all-options'], 'RuntimeClass', 'kata-qemu');
    expect(kata).toMatchObject({
      handler: 'kata-qemu',
      overhead: { podFixed: { cpu: '250m', memory: '160Mi' } },
    });
  });
});

describe('the gateway', () => {
  it('keeps PGlite on a retained PVC with a single Recreate replica by default', () => {
    const deployment = getObject(rendered.default, 'Deployment', 'foxhound-gateway');
    expect(spec(deployment)).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const claim = getObject(rendered.default, 'PersistentVolumeClaim', 'foxhound-gateway-data');
    expect(claim.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
  });

  it('is a LoadBalancer with AWS NLB annotations in production, reading DATABASE_URL from a Secret', () => {
    const service = getObject(rendered.production, 'Service', 'foxhound-gateway');
    expect(spec(service).type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-healthcheck-path': '/readyz',
    });
    const { spec: pod } = templateOf(rendered.production, 'gateway');
    expect(
      pod.containers[0].env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef,
    ).toEqual({
      name: 'foxhound-internal',
      key: 'DATABASE_URL',
    });
    expect(rendered.production.filter((object) => object.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  it('gets an Ingress with TLS when asked', () => {
    const ingress = getObject(rendered['all-options'], 'Ingress', 'foxhound-gateway');
    expect(spec(ingress)).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ secretName: 'foxhound-gateway-tls', hosts: ['foxhound.example.com'] }],
    });
    // cert-manager issues that Secret for the same hosts.
    const certificate = getObject(rendered['all-options'], 'Certificate', 'foxhound-gateway');
    expect(spec(certificate)).toMatchObject({
      secretName: 'foxhound-gateway-tls',
      dnsNames: ['foxhound.example.com'],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
  });

  it('serves TLS on the production NLB with the ACM certificate, to the configured client ranges only', () => {
    const service = getObject(rendered.production, 'Service', 'foxhound-gateway');
    expect(service.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': expect.stringMatching(/^arn:aws:acm:/),
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': 'https',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    });
    expect(spec(service)).toMatchObject({
      type: 'LoadBalancer',
      ports: [{ name: 'https', port: 443, targetPort: 'http' }],
      loadBalancerSourceRanges: ['203.0.113.0/24'],
    });
  });

  it('keeps the default install private (ClusterIP) and plain HTTP only when asked for', () => {
    expect(spec(getObject(rendered.default, 'Service', 'foxhound-gateway')).type).toBe('ClusterIP');
    const http = spec<{ type: string; ports: Array<{ name: string; port: number }> }>(
      getObject(rendered['http-on-purpose'], 'Service', 'foxhound-gateway'),
    );
    expect(http).toMatchObject({ type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }] });
  });
});

it('builds image references from the registry, the tag and a pinned digest', () => {
  const images = Object.fromEntries(
    podTemplates(rendered['all-options']).map((template) => [
      componentOf(template),
      template.spec.containers[0].image,
    ]),
  );
  expect(images).toEqual({
    gateway: 'registry.example.com/foxhound/foxhound-gateway:abc123def456',
    'sandbox-manager': 'registry.example.com/foxhound/foxhound-sandbox-manager:abc123def456',
    'sandbox-router': `registry.example.com/foxhound/foxhound-sandbox-router@sha256:${'a'.repeat(64)}`,
    executor: 'registry.example.com/foxhound/foxhound-executor:abc123def456',
  });
  expect(templateOf(rendered['all-options'], 'executor').namespace).toBe(SANDBOX_NAMESPACE);
});
