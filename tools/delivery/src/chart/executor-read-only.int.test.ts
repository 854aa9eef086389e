// Proof that the executor writes nothing: the executor's RBAC exactly as the chart renders it
// (all options on, actions included), loaded into kube-sim with RBAC authorization; every write
// verb on every kind it can read, and on every remediation target, answers 403 to its credentials.
import { startKubeSim, type KubeSim } from '@foxhound/kube-sim';
import { ofKind, type K8sObject } from './manifests';
import { renderObjects } from './render';
import { VARIANTS } from './variants';

const objects = renderObjects(VARIANTS['all-options']);
const executorTemplate = ofKind(objects, 'SandboxTemplate')[0];
const SANDBOX_NS = executorTemplate.metadata.namespace!;
const EXECUTOR = `system:serviceaccount:${SANDBOX_NS}:foxhound-executor`;
const TOKEN = 'executor-token-0000001';
const RBAC_KINDS: Record<string, string> = {
  Role: 'roles.rbac.authorization.k8s.io',
  ClusterRole: 'clusterroles.rbac.authorization.k8s.io',
  RoleBinding: 'rolebindings.rbac.authorization.k8s.io',
  ClusterRoleBinding: 'clusterrolebindings.rbac.authorization.k8s.io',
};
const VERSIONS: Record<string, string> = {
  '': 'v1',
  apps: 'v1',
  batch: 'v1',
  'networking.k8s.io': 'v1',
  'discovery.k8s.io': 'v1',
  autoscaling: 'v2',
  policy: 'v1',
  'storage.k8s.io': 'v1',
  'admissionregistration.k8s.io': 'v1',
  'metrics.k8s.io': 'v1beta1',
  'rbac.authorization.k8s.io': 'v1',
};
const CLUSTER_SCOPED = new Set([
  'nodes',
  'namespaces',
  'storageclasses',
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'persistentvolumes',
  'ingressclasses',
  'clusterroles',
  'clusterrolebindings',
]);

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({
    prometheus: false,
    tokens: [{ token: TOKEN, user: EXECUTOR }],
    authorization: 'rbac',
  });
  const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => Boolean(n)));
  for (const name of [...namespaces, 'shop'])
    if (!sim.store.find('namespaces', undefined, name))
      sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const object of objects.filter((o) => RBAC_KINDS[o.kind]))
    sim.store.create(RBAC_KINDS[object.kind], object as never);
});
afterAll(() => sim.close());

/** Every (group, resource) the executor's rendered roles name, without subresources. */
function readableKinds(all: readonly K8sObject[]): Array<[string, string]> {
  const roles = new Set<string>();
  for (const binding of [...ofKind(all, 'RoleBinding'), ...ofKind(all, 'ClusterRoleBinding')]) {
    const subjects = (binding.subjects ?? []) as Array<{ kind: string; name: string; namespace?: string }>;
    if (subjects.some((s) => s.kind === 'ServiceAccount' && s.name === 'foxhound-executor'))
      roles.add((binding.roleRef as { name: string }).name);
  }
  const kinds = new Map<string, [string, string]>();
  for (const role of [...ofKind(all, 'Role'), ...ofKind(all, 'ClusterRole')].filter((r) =>
    roles.has(r.metadata.name),
  ))
    for (const rule of role.rules as Array<{ apiGroups: string[]; resources: string[] }>)
      for (const group of rule.apiGroups)
        for (const resource of rule.resources.filter((r) => !r.includes('/')))
          kinds.set(`${group}/${resource}`, [group, resource]);
  return [...kinds.values()];
}

const ACTION_TARGETS: Array<[string, string]> = [
  ['apps', 'deployments'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['', 'pods'],
  ['', 'resourcequotas'],
  ['', 'configmaps'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
];
// metrics.k8s.io serves no write verb to anyone (405 before authorization), so it proves nothing here.
const readable = readableKinds(objects).filter(([group]) => group !== 'metrics.k8s.io');
const kinds = [...new Map([...readable, ...ACTION_TARGETS].map((k) => [k.join('/'), k])).values()];
const WRITES = [
  ['create', 'POST', false],
  ['update', 'PUT', true],
  ['patch', 'PATCH', true],
  ['delete', 'DELETE', true],
  ['deletecollection', 'DELETE', false],
] as const;

it('reads what investigations need (the test is not vacuous)', () => {
  expect(kinds.length).toBeGreaterThan(20);
  expect(kinds).toContainEqual(['', 'pods']);
});

describe.each(kinds)('%s/%s', (group, resource) => {
  it.each(WRITES)('%s answers 403 to the executor', async (_verb, method, named) => {
    const base = group === '' ? '/api/v1' : `/apis/${group}/${VERSIONS[group] ?? 'v1'}`;
    const scope = CLUSTER_SCOPED.has(resource) ? '' : `/namespaces/shop`;
    const path = `${base}${scope}/${resource}${named ? '/x' : ''}`;
    const res = await fetch(sim.url + path, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      },
      body: method === 'DELETE' ? undefined : JSON.stringify({ metadata: { name: 'x' } }),
    });
    const body = (await res.json()) as { reason?: string; message?: string };
    expect({ status: res.status, reason: body.reason }).toEqual({ status: 403, reason: 'Forbidden' });
    expect(body.message).toContain(`User "${EXECUTOR}" cannot`);
  });
});

it('scaling a Deployment is refused too (deployments/scale)', async () => {
  const res = await fetch(`${sim.url}/apis/apps/v1/namespaces/shop/deployments/x/scale`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ spec: { replicas: 0 } }),
  });
  expect(res.status).toBe(403);
});
