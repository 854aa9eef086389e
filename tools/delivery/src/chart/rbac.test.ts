// Least privilege, computed from the rendered Roles, ClusterRoles and bindings per ServiceAccount:
// the gateway and the router have no Kubernetes access; the executor reads (never Secrets) and
// writes nothing; the manager manages sandboxes in the sandbox namespace and nothing else unless
// actions are enabled, and then only the verbs of the typed actions.
import { type K8sObject, ofKind } from './manifests';
import { NAMESPACE, renderObjects } from './render';
import { SANDBOX_NAMESPACE, VARIANT_NAMES, VARIANTS } from './variants';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** One permission a ServiceAccount holds: a rule and where it applies ('*' = cluster-wide). */
interface Grant extends Rule {
  scope: string;
}

const rendered = Object.fromEntries(VARIANT_NAMES.map((name) => [name, renderObjects(VARIANTS[name])]));

function grantsOf(objects: readonly K8sObject[], account: string, accountNamespace: string): Grant[] {
  const grants: Grant[] = [];
  for (const binding of [...ofKind(objects, 'RoleBinding'), ...ofKind(objects, 'ClusterRoleBinding')]) {
    const subjects = binding.subjects as Array<{ kind: string; name: string; namespace: string }>;
    if (
      !subjects.some(
        (s) => s.kind === 'ServiceAccount' && s.name === account && s.namespace === accountNamespace,
      )
    ) {
      continue;
    }
    const roleRef = binding.roleRef as { kind: string; name: string };
    const role = objects.find(
      (object) =>
        object.kind === roleRef.kind &&
        object.metadata.name === roleRef.name &&
        (roleRef.kind === 'ClusterRole' || object.metadata.namespace === binding.metadata.namespace),
    );
    if (!role)
      throw new Error(
        `${binding.kind}/${binding.metadata.name} refers to a missing ${roleRef.kind}/${roleRef.name}`,
      );
    const scope = binding.kind === 'ClusterRoleBinding' ? '*' : binding.metadata.namespace!;
    for (const rule of role.rules as Rule[]) grants.push({ ...rule, scope });
  }
  return grants;
}

const WORKLOADS = ['deployments', 'statefulsets', 'daemonsets'];
/** AddRoleRule's writer (and the restore's): update Roles, holding exactly the grantable permissions. */
const ROLE_WRITER = [
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['update'] },
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/log',
      'configmaps',
      'services',
      'endpoints',
      'events',
      'persistentvolumeclaims',
      'serviceaccounts',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
  },
];
const READ = ['get', 'list', 'watch'];
const EXECUTOR_READS: Array<[string, string]> = [
  ['', 'pods'],
  ['', 'pods/log'],
  ['', 'events'],
  ['', 'services'],
  ['', 'endpoints'],
  ['', 'configmaps'],
  ['', 'nodes'],
  ['', 'namespaces'],
  ['', 'resourcequotas'],
  ['', 'limitranges'],
  ['', 'persistentvolumeclaims'],
  ['', 'serviceaccounts'],
  ['rbac.authorization.k8s.io', 'roles'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
  ['rbac.authorization.k8s.io', 'clusterroles'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
  ['networking.k8s.io', 'networkpolicies'],
  ['networking.k8s.io', 'ingresses'],
  ['discovery.k8s.io', 'endpointslices'],
  ['autoscaling', 'horizontalpodautoscalers'],
  ['policy', 'poddisruptionbudgets'],
  ['storage.k8s.io', 'storageclasses'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations'],
  ['metrics.k8s.io', 'pods'],
  ['metrics.k8s.io', 'nodes'],
];

function allows(
  grants: readonly Grant[],
  group: string,
  resource: string,
  verb: string,
  namespace: string,
): boolean {
  return grants.some(
    (grant) =>
      grant.apiGroups.includes(group) &&
      grant.resources.includes(resource) &&
      grant.verbs.includes(verb) &&
      (grant.scope === '*' || grant.scope === namespace),
  );
}

it('runs the all-options sandboxes in their own namespace', () => {
  expect(ofKind(rendered['all-options'], 'SandboxTemplate')[0].metadata.namespace).toBe(SANDBOX_NAMESPACE);
});

describe.each(VARIANT_NAMES)('%s values', (variant) => {
  const objects = rendered[variant];
  const sandboxNamespace = ofKind(objects, 'SandboxTemplate')[0].metadata.namespace!;

  it('grants no wildcard and no privilege-escalating verb anywhere', () => {
    for (const role of [...ofKind(objects, 'Role'), ...ofKind(objects, 'ClusterRole')]) {
      for (const rule of role.rules as Rule[]) {
        expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
        expect(rule.verbs.filter((verb) => ['escalate', 'impersonate'].includes(verb))).toEqual([]);
        // `bind` only to name the per-action ClusterRoles (one per executable action type) the manager may hand the action writer.
        if (rule.verbs.includes('bind')) {
          expect(rule).toMatchObject({ verbs: ['bind'], resources: ['clusterroles'] });
          const names = (rule as Rule & { resourceNames?: string[] }).resourceNames ?? [];
          expect(names.length).toBe(19);
          for (const name of names) expect(name).toMatch(/^foxhound-sandbox-manager-action-[a-z-]+$/);
        }
        expect(rule.resources).not.toContain('secrets');
      }
    }
  });

  it.each(['foxhound-gateway', 'foxhound-sandbox-router'])(
    'gives %s no Kubernetes access at all',
    (account) => {
      expect(grantsOf(objects, account, NAMESPACE)).toEqual([]);
    },
  );

  it('lets the executor read what investigations look at, write nothing and never read Secrets', () => {
    const grants = grantsOf(objects, 'foxhound-executor', sandboxNamespace);
    expect(grants.flatMap((grant) => grant.verbs).filter((verb) => !READ.includes(verb))).toEqual([]);
    const scopes = variant === 'all-options' ? ['shop', 'payments'] : ['default', 'anywhere'];
    for (const [group, resource] of EXECUTOR_READS) {
      for (const verb of READ)
        expect({ group, resource, verb, ok: allows(grants, group, resource, verb, scopes[0]) }).toEqual({
          group,
          resource,
          verb,
          ok: true,
        });
    }
    expect(allows(grants, '', 'secrets', 'get', scopes[0])).toBe(false);
    expect(allows(grants, '', 'pods', 'delete', scopes[0])).toBe(false);
    if (variant === 'all-options') {
      // Scoped: namespaced kinds only in the listed namespaces; cluster-scoped kinds still readable.
      expect(allows(grants, '', 'pods', 'list', 'kube-system')).toBe(false);
      expect(allows(grants, '', 'pods', 'list', 'payments')).toBe(true);
      expect(allows(grants, '', 'nodes', 'list', '')).toBe(true);
    }
  });

  it('lets the manager manage sandboxes in the sandbox namespace and nothing else unless actions are on', () => {
    const grants = grantsOf(objects, 'foxhound-sandbox-manager', NAMESPACE);
    const sandboxGrants = grants.filter((grant) => grant.scope === sandboxNamespace);
    expect(sandboxGrants.map(({ apiGroups, resources, verbs }) => ({ apiGroups, resources, verbs }))).toEqual(
      [
        {
          apiGroups: ['extensions.agents.x-k8s.io'],
          resources: ['sandboxclaims'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
        {
          apiGroups: ['agents.x-k8s.io'],
          resources: ['sandboxes'],
          verbs: ['get', 'list', 'watch', 'delete', 'patch'],
        },
        {
          apiGroups: ['extensions.agents.x-k8s.io'],
          resources: ['sandboxwarmpools', 'sandboxtemplates'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    );
    const actionGrants = grants.filter((grant) => grant.scope !== sandboxNamespace);
    if (variant !== 'all-options') {
      expect(actionGrants).toEqual([]);
      return;
    }
    // Actions enabled in `shop` only: the manager reads targets and binds the writer there, keeps
    // its records and mints the writer's tokens in its own namespace, and writes no target itself.
    expect(new Set(actionGrants.map((grant) => grant.scope))).toEqual(new Set(['shop', NAMESPACE]));
    for (const [group, resource, verb] of [
      ['apps', 'deployments', 'update'],
      ['', 'services', 'update'],
      ['', 'configmaps', 'update'],
      ['', 'resourcequotas', 'update'],
      ['apps', 'deployments', 'patch'],
      ['apps', 'deployments/scale', 'patch'],
      ['', 'pods', 'delete'],
      ['', 'resourcequotas', 'delete'],
      ['', 'resourcequotas', 'create'],
      ['apps', 'deployments', 'delete'],
    ]) {
      expect(allows(grants, group, resource, verb, 'shop')).toBe(false);
    }
    expect(allows(grants, 'rbac.authorization.k8s.io', 'rolebindings', 'create', 'shop')).toBe(true);
    expect(allows(grants, 'rbac.authorization.k8s.io', 'rolebindings', 'create', 'payments')).toBe(false);
    expect(allows(grants, 'apps', 'deployments', 'get', 'shop')).toBe(true);
    expect(allows(grants, '', 'serviceaccounts/token', 'create', NAMESPACE)).toBe(true);
    expect(actionGrants.filter((grant) => grant.verbs.includes('deletecollection'))).toEqual([]);
    // The writer holds nothing until the manager binds one action's ClusterRole for one action.
    expect(grantsOf(objects, 'foxhound-sandbox-manager-action-writer', NAMESPACE)).toEqual([]);
    const actionRoles = ofKind(objects, 'ClusterRole').filter((role) =>
      role.metadata.name.startsWith('foxhound-sandbox-manager-action-'),
    );
    expect(Object.fromEntries(actionRoles.map((role) => [role.metadata.name, role.rules]))).toEqual({
      'foxhound-sandbox-manager-action-delete-pod': [
        { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
      ],
      'foxhound-sandbox-manager-action-delete-resource-quota': [
        { apiGroups: [''], resources: ['resourcequotas'], verbs: ['delete'] },
      ],
      'foxhound-sandbox-manager-action-patch-deployment-image': [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] },
      ],
      'foxhound-sandbox-manager-action-restore-resource-quota': [
        { apiGroups: [''], resources: ['resourcequotas'], verbs: ['create'] },
      ],
      'foxhound-sandbox-manager-action-rollback-deployment': [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] },
      ],
      'foxhound-sandbox-manager-action-rollout-restart': [
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['patch'] },
      ],
      'foxhound-sandbox-manager-action-scale-deployment': [
        { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] },
      ],
      ...Object.fromEntries(
        [
          'container-resources',
          'container-probe',
          'container-command',
          'container-env',
          'pod-scheduling',
          'pod-security-context',
        ].map((part) => [
          `foxhound-sandbox-manager-action-patch-${part}`,
          [{ apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] }],
        ]),
      ),
      'foxhound-sandbox-manager-action-patch-service-selector': [
        { apiGroups: [''], resources: ['services'], verbs: ['update'] },
      ],
      'foxhound-sandbox-manager-action-patch-service-port': [
        { apiGroups: [''], resources: ['services'], verbs: ['update'] },
      ],
      'foxhound-sandbox-manager-action-patch-config-map-key': [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['update'] },
      ],
      'foxhound-sandbox-manager-action-patch-resource-quota': [
        { apiGroups: [''], resources: ['resourcequotas'], verbs: ['update'] },
      ],
      'foxhound-sandbox-manager-action-add-role-rule': ROLE_WRITER,
      'foxhound-sandbox-manager-action-restore-object': [
        { apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] },
        { apiGroups: [''], resources: ['services', 'configmaps', 'resourcequotas'], verbs: ['update'] },
        { apiGroups: [''], resources: ['resourcequotas'], verbs: ['create'] },
        ...ROLE_WRITER,
      ],
    });
    // No action role touches secrets, bindings or ClusterRoles, nor holds a wildcard or an
    // escalating verb; only the two that write Roles may update a (namespaced) Role.
    for (const role of actionRoles) {
      for (const rule of role.rules as Rule[]) {
        expect(rule.resources.some((r) => /\*|secrets|rolebindings|clusterroles/.test(r))).toBe(false);
        if (rule.resources.includes('roles'))
          expect([role.metadata.name, rule.verbs]).toEqual([
            expect.stringMatching(/-action-(add-role-rule|restore-object)$/),
            ['update'],
          ]);
        expect(
          rule.verbs.some((v) => ['*', 'escalate', 'bind', 'impersonate', 'deletecollection'].includes(v)),
        ).toBe(false);
      }
    }
  });
});

it('lets the manager patch its one warm pool only when it sizes the pool from demand', () => {
  const adaptive = renderObjects({
    ...VARIANTS.default,
    values: { 'sandbox-manager': { config: { SANDBOX_WARM_POOL_MIN: '1', SANDBOX_WARM_POOL_MAX: '10' } } },
  });
  const role = (objects: ReturnType<typeof renderObjects>) =>
    objects.find(
      (o) => o.kind === 'Role' && o.metadata.name === 'foxhound-sandbox-manager-sandboxes',
    ) as unknown as {
      rules: { resources: string[]; resourceNames?: string[]; verbs: string[] }[];
    };
  expect(role(adaptive).rules.at(-1)).toEqual({
    apiGroups: ['extensions.agents.x-k8s.io'],
    resources: ['sandboxwarmpools'],
    resourceNames: ['foxhound-executor'],
    verbs: ['patch'],
  });
  expect(
    role(renderObjects(VARIANTS.default)).rules.some(
      (r) => r.verbs.includes('patch') && r.resources.includes('sandboxwarmpools'),
    ),
  ).toBe(false);
  const manager = adaptive.find(
    (o) => o.kind === 'Deployment' && o.metadata.name === 'foxhound-sandbox-manager',
  ) as unknown as {
    spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
  };
  expect(manager.spec.template.spec.containers[0]!.env).toEqual(
    expect.arrayContaining([
      { name: 'SANDBOX_WARM_POOL_MIN', value: '1' },
      { name: 'SANDBOX_WARM_POOL_MAX', value: '10' },
    ]),
  );
});
