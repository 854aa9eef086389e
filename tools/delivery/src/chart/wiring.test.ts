// Objects that point at each other agree: labels and selectors, Services and the pods they select,
// HPA and PDB targets, every Secret and ConfigMap a pod reads, and each workload's env against the
// services' contract (names, secrets only from Secrets, values the chart must and must not set).
import { type IEnvVar } from 'kubernetes-models/v1';
import { allowedEnv, COMPONENTS, type Component, serviceContract } from '../contract/contract';
import {
  CLUSTER_SCOPED,
  componentOf,
  containersOf,
  type K8sObject,
  ofKind,
  podTemplates,
  selects,
  spec,
} from './manifests';
import { NAMESPACE, renderObjects } from './render';
import { CLUSTER_VALUES, VARIANT_NAMES, VARIANTS } from './variants';

const rendered = Object.fromEntries(VARIANT_NAMES.map((name) => [name, renderObjects(VARIANTS[name])]));

const REQUIRED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/version',
  'helm.sh/chart',
];

// Labels that change with the chart, or name Helm, which does not manage the sandbox pods.
const VERSIONED_LABELS = ['app.kubernetes.io/version', 'helm.sh/chart', 'app.kubernetes.io/managed-by'];

/** Env names the variant adds through a component's `extraEnv` escape hatch (the user's, not the contract's). */
function extraEnvNames(variant: string, component: Component): string[] {
  const values = (VARIANTS[variant].values ?? {}) as Record<string, { extraEnv?: Array<{ name: string }> }>;
  return (values[component]?.extraEnv ?? []).map((variable) => variable.name);
}

function envOf(objects: readonly K8sObject[], component: Component): IEnvVar[] {
  const template = podTemplates(objects).find((pod) => componentOf(pod) === component);
  if (!template) throw new Error(`no pod template for ${component}`);
  return template.spec.containers[0].env ?? [];
}

/** Secrets that will exist: created by the chart or synced by an ExternalSecret / VaultStaticSecret. */
function secretsProvided(objects: readonly K8sObject[]): Set<string> {
  const provided = new Set<string>();
  for (const object of objects) {
    const namespace = object.metadata.namespace ?? '';
    if (object.kind === 'Secret') provided.add(`${namespace}/${object.metadata.name}`);
    if (object.kind === 'ExternalSecret') {
      provided.add(`${namespace}/${spec<{ target: { name: string } }>(object).target.name}`);
    }
    if (object.kind === 'VaultStaticSecret') {
      provided.add(`${namespace}/${spec<{ destination: { name: string } }>(object).destination.name}`);
    }
  }
  return provided;
}

describe.each(VARIANT_NAMES)('%s values', (variant) => {
  const objects = rendered[variant];

  it('labels every object with the app.kubernetes.io set and names it within 63 characters', () => {
    for (const object of objects) {
      const labels = object.metadata.labels ?? {};
      const missing = REQUIRED_LABELS.filter((label) => label !== 'app.kubernetes.io/name' && !labels[label]);
      expect({ object: `${object.kind}/${object.metadata.name}`, missing }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        missing: [],
      });
      expect(object.metadata.name.length).toBeLessThanOrEqual(63);
      if (!CLUSTER_SCOPED.has(object.kind)) expect(object.metadata.namespace).toBeTruthy();
    }
  });

  it('gives each object a unique kind, namespace and name', () => {
    const keys = objects.map(
      (object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`,
    );
    expect(keys.length).toBe(new Set(keys).size);
  });

  it('has one workload per component, selected by its own stable labels', () => {
    const templates = podTemplates(objects);
    expect(templates.map(componentOf).sort()).toEqual([...COMPONENTS].sort());
    for (const template of templates) {
      if (template.owner.kind === 'SandboxTemplate') {
        // Sandbox pods carry no chart or app version: a chart bump must not recycle the warm pool.
        for (const label of REQUIRED_LABELS.filter((l) => !VERSIONED_LABELS.includes(l)))
          expect(template.labels[label]).toBeTruthy();
        for (const label of VERSIONED_LABELS) expect(template.labels[label]).toBeUndefined();
        continue;
      }
      for (const label of REQUIRED_LABELS) expect(template.labels[label]).toBeTruthy();
      if (template.owner.kind !== 'Deployment') continue;
      const selector = spec<{ selector: { matchLabels: Record<string, string> } }>(template.owner).selector;
      expect(selector.matchLabels).toEqual({
        'app.kubernetes.io/name': componentOf(template),
        'app.kubernetes.io/instance': 'foxhound',
      });
      expect(selects(selector, template.labels)).toBe(true);
      // No other workload's pods match this selector.
      const others = templates.filter((other) => other !== template && selects(selector, other.labels));
      expect(others).toEqual([]);
    }
  });

  it('points every Service at exactly one component, on a port its container exposes', () => {
    const templates = podTemplates(objects);
    const services = ofKind(objects, 'Service');
    expect(services.map(componentOf).sort()).toEqual(['gateway', 'sandbox-manager', 'sandbox-router']);
    for (const service of services) {
      const { selector, ports } = spec<{
        selector: Record<string, string>;
        ports: Array<{ targetPort: string }>;
      }>(service);
      const targets = templates.filter(
        (template) =>
          template.namespace === service.metadata.namespace &&
          selects({ matchLabels: selector }, template.labels),
      );
      expect(targets.map(componentOf)).toEqual([componentOf(service)]);
      const portNames = targets[0].spec.containers
        .flatMap((container) => container.ports ?? [])
        .map((port) => port.name);
      for (const port of ports) expect(portNames).toContain(port.targetPort);
    }
  });

  it('targets existing Deployments with every HPA and existing pods with every PDB', () => {
    const deployments = ofKind(objects, 'Deployment');
    for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler')) {
      const { scaleTargetRef, minReplicas, maxReplicas } = spec<{
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
      }>(hpa);
      const target = deployments.find((deployment) => deployment.metadata.name === scaleTargetRef.name);
      expect(scaleTargetRef.kind).toBe('Deployment');
      expect(target?.metadata.namespace).toBe(hpa.metadata.namespace);
      // The HPA owns the replica count: the Deployment leaves it unset so upgrades do not reset it.
      expect(spec(target!).replicas).toBeUndefined();
      expect(minReplicas).toBeLessThanOrEqual(maxReplicas);
    }
    for (const pdb of ofKind(objects, 'PodDisruptionBudget')) {
      const selector = spec<{ selector: { matchLabels: Record<string, string> } }>(pdb).selector;
      const matched = podTemplates(objects).filter((template) => selects(selector, template.labels));
      expect(matched.map(componentOf)).toEqual([componentOf(pdb)]);
    }
  });

  it('finds every Secret, ConfigMap, PVC and ServiceAccount a pod refers to', () => {
    const secrets = secretsProvided(objects);
    const configMaps = new Set(
      ofKind(objects, 'ConfigMap').map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    );
    const claims = new Set(
      ofKind(objects, 'PersistentVolumeClaim').map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    );
    const accounts = new Set(
      ofKind(objects, 'ServiceAccount').map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    );
    for (const template of podTemplates(objects)) {
      const at = (name: string) => `${template.namespace}/${name}`;
      expect(accounts).toContain(at(template.spec.serviceAccountName!));
      for (const volume of template.spec.volumes ?? []) {
        if (volume.secret) expect(secrets).toContain(at(volume.secret.secretName!));
        if (volume.configMap) expect(configMaps).toContain(at(volume.configMap.name!));
        if (volume.persistentVolumeClaim)
          expect(claims).toContain(at(volume.persistentVolumeClaim.claimName));
      }
      for (const container of containersOf(template.spec)) {
        for (const env of container.env ?? []) {
          const secretRef = env.valueFrom?.secretKeyRef;
          const configMapRef = env.valueFrom?.configMapKeyRef;
          if (secretRef) expect(secrets).toContain(at(secretRef.name!));
          if (configMapRef) expect(configMaps).toContain(at(configMapRef.name!));
        }
        for (const source of container.envFrom ?? []) {
          if (source.secretRef) expect(secrets).toContain(at(source.secretRef.name!));
          if (source.configMapRef) expect(configMaps).toContain(at(source.configMapRef.name!));
        }
      }
    }
  });

  it.each(COMPONENTS)('gives %s only the env its contract lists, secrets from Secrets only', (component) => {
    const contract = serviceContract(component);
    const env = envOf(objects, component);
    const extra = extraEnvNames(variant, component);
    const names = env.map((variable) => variable.name);
    expect(names.filter((name) => !allowedEnv(component).has(name) && !extra.includes(name))).toEqual([]);
    expect(names.length).toBe(new Set(names).size);
    expect(contract.chartSets.filter((name) => !names.includes(name))).toEqual([]);
    expect(names.filter((name) => contract.chartNeverSets.includes(name))).toEqual([]);
    for (const variable of env) {
      if (contract.secret.includes(variable.name)) {
        expect({
          name: variable.name,
          value: variable.value,
          fromSecret: Boolean(variable.valueFrom?.secretKeyRef),
        }).toEqual({
          name: variable.name,
          value: undefined,
          fromSecret: true,
        });
      } else {
        expect(variable.valueFrom).toBeUndefined();
        expect(typeof variable.value).toBe('string');
      }
    }
    const port = env.find((variable) => variable.name === 'PORT')?.value;
    expect(port).toBe(String(contract.port));
    for (const [name, value] of Object.entries(contract.fixed ?? {})) {
      expect(env.find((variable) => variable.name === name)?.value).toBe(value);
    }
    for (const [label, value] of Object.entries(contract.podLabels ?? {})) {
      const template = podTemplates(objects).find((pod) => componentOf(pod) === component)!;
      expect(template.labels[label]).toBe(value);
    }
  });

  it('wires the services to each other by their Services and ports', () => {
    const value = (component: Component, name: string) =>
      envOf(objects, component).find((variable) => variable.name === name)?.value;
    const sandboxNamespace = podTemplates(objects).find((pod) => componentOf(pod) === 'executor')!.namespace;
    expect(value('gateway', 'SANDBOX_MANAGER_URL')).toBe(
      `http://foxhound-sandbox-manager.${NAMESPACE}.svc:8081`,
    );
    expect(value('gateway', 'SANDBOX_ROUTER_URL')).toBe(
      `http://foxhound-sandbox-router.${NAMESPACE}.svc:8080`,
    );
    expect(value('sandbox-manager', 'SANDBOX_NAMESPACE')).toBe(sandboxNamespace);
    expect(value('sandbox-router', 'ROUTER_DEFAULT_NAMESPACE')).toBe(sandboxNamespace);
    const template = objects.find((object) => object.kind === 'SandboxTemplate')!;
    const pool = objects.find((object) => object.kind === 'SandboxWarmPool')!;
    expect(value('sandbox-manager', 'SANDBOX_TEMPLATE')).toBe(template.metadata.name);
    expect(value('sandbox-manager', 'SANDBOX_WARM_POOL')).toBe(pool.metadata.name);
    expect(spec<{ sandboxTemplateRef: { name: string } }>(pool).sandboxTemplateRef.name).toBe(
      template.metadata.name,
    );
    expect(pool.metadata.namespace).toBe(template.metadata.namespace);
    // The manager token the gateway and router present is the one the manager checks.
    const tokenRef = (component: Component, name: string) =>
      envOf(objects, component).find((variable) => variable.name === name)?.valueFrom?.secretKeyRef;
    expect(tokenRef('gateway', 'SANDBOX_MANAGER_TOKEN')).toEqual(
      tokenRef('sandbox-manager', 'MANAGER_AUTH_TOKEN'),
    );
    expect(tokenRef('gateway', 'ROUTER_AUTH_TOKEN')).toEqual(tokenRef('sandbox-router', 'ROUTER_AUTH_TOKEN'));
  });

  it('keeps secret values out of ConfigMaps, annotations and plain env', () => {
    const secretValues = ofKind(objects, 'Secret')
      .flatMap((secret) => Object.values((secret.data ?? {}) as Record<string, string>))
      .map((encoded) => Buffer.from(encoded, 'base64').toString('utf8'))
      .filter((value) => value.length >= 8);
    const exposed = objects
      .filter((object) => object.kind !== 'Secret')
      .map((object) => JSON.stringify(object))
      .filter((text) => secretValues.some((value) => text.includes(value)));
    expect(exposed).toEqual([]);
    for (const configMap of ofKind(objects, 'ConfigMap')) {
      expect(Object.keys((configMap.data ?? {}) as object).join(' ')).not.toMatch(
        /TOKEN|KEY|SECRET|PASSWORD|DATABASE_URL/,
      );
    }
  });
});

it('selectors the test relies on can fail: a mismatched label is not selected', () => {
  expect(
    selects({ matchLabels: { 'app.kubernetes.io/name': 'gateway' } }, { 'app.kubernetes.io/name': 'router' }),
  ).toBe(false);
  expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }, { tier: 'b' })).toBe(
    false,
  );
  expect(selects({}, { anything: 'x' })).toBe(true);
});

it('puts secret values given as chart values into Secrets only', () => {
  const values = {
    managerToken: 'manager-token-0123456789',
    routerToken: 'router-token-0123456789',
    bootstrapAdminKey: 'bootstrap-key-0123456789',
    jwtSecret: 'jwt-secret-0123456789',
    databaseUrl: 'postgres://foxhound:db-password-0123456789@db.internal/foxhound',
    anthropicApiKey: 'sk-ant-api03-0123456789',
  };
  const objects = renderObjects({
    valuesFiles: [CLUSTER_VALUES],
    values: { global: { secrets: { values } }, gateway: { database: { mode: 'external' } } },
  });
  const holders = (secret: string) =>
    objects
      .filter(
        (object) =>
          JSON.stringify(object).includes(Buffer.from(secret).toString('base64')) ||
          JSON.stringify(object).includes(secret),
      )
      .map((object) => `${object.kind}/${object.metadata.name}`);
  expect(Object.values(values).map(holders)).toEqual([
    ['Secret/foxhound-internal'],
    ['Secret/foxhound-internal'],
    ['Secret/foxhound-internal'],
    ['Secret/foxhound-internal'],
    ['Secret/foxhound-internal'],
    ['Secret/foxhound-executor-credentials'],
  ]);
});
