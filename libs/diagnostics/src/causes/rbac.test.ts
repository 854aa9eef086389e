// Cases from the RBAC documentation (kubernetes.io/docs/reference/access-authn-authz/rbac/): a
// ServiceAccount's permissions are the union of the roles its bindings grant, `*` matches anything.
import { lookup } from '../lookup';
import { type Role, type RoleBinding } from '../snapshot';
import { NS, snapshot } from '../__fixtures__/build';
import { missingPermission, type Refusal } from './rbac';

const refusal: Refusal = {
  user: `system:serviceaccount:${NS}:janitor`,
  verb: 'delete',
  resource: 'pods',
  group: '',
  namespace: NS,
};
const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'janitor', namespace: NS } };
const role = (name: string, rules: Role['rules'], namespace: string | null = NS): Role => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: namespace ? 'Role' : 'ClusterRole',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  rules,
});
const binding = (
  name: string,
  roleRef: RoleBinding['roleRef'],
  subjects: RoleBinding['subjects'],
): RoleBinding => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: roleRef.kind === 'ClusterRole' && name.startsWith('crb-') ? 'ClusterRoleBinding' : 'RoleBinding',
  metadata: { name, ...(name.startsWith('crb-') ? {} : { namespace: NS }) },
  roleRef,
  subjects,
});
const toJanitor = [{ kind: 'ServiceAccount', name: 'janitor', namespace: NS }];

describe('missingPermission: the role to extend for a refused verb', () => {
  it('names the bound Role that covers the resource with other verbs, and what it grants', () => {
    const s = snapshot({
      serviceAccounts: [account],
      roles: [role('janitor', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }])],
      roleBindings: [binding('janitor', { kind: 'Role', name: 'janitor' }, toJanitor)],
    });
    expect(missingPermission(lookup(s), refusal)).toEqual({
      ref: { kind: 'Role', name: 'janitor', namespace: NS },
      // The Role itself, for an AddRoleRule proposal to extend.
      role: expect.objectContaining({ kind: 'Role', metadata: { name: 'janitor', namespace: NS } }),
      description: `Role ${NS}/janitor, bound to ServiceAccount ${NS}/janitor by RoleBinding ${NS}/janitor, grants get, list, watch on pods but not delete: the delete is refused (Forbidden)`,
    });
  });

  it('prefers the role that mentions the resource over another bound role', () => {
    const s = snapshot({
      serviceAccounts: [account],
      roles: [role('metrics', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }])],
      clusterRoles: [role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], null)],
      roleBindings: [binding('metrics', { kind: 'Role', name: 'metrics' }, toJanitor)],
      clusterRoleBindings: [binding('crb-pods', { kind: 'ClusterRole', name: 'pod-reader' }, toJanitor)],
    });
    expect(missingPermission(lookup(s), refusal)?.ref).toEqual({ kind: 'ClusterRole', name: 'pod-reader' });
  });

  it('names the ServiceAccount when nothing is bound to it', () => {
    const s = snapshot({ serviceAccounts: [account] });
    expect(missingPermission(lookup(s), refusal)).toMatchObject({
      ref: { kind: 'ServiceAccount', name: 'janitor', namespace: NS },
      description: expect.stringContaining('no RoleBinding or ClusterRoleBinding grants'),
    });
  });

  it('blames no role when one already allows the call (a wildcard included), or the caller is no ServiceAccount', () => {
    const s = snapshot({
      serviceAccounts: [account],
      roles: [role('janitor', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['*'] }])],
      roleBindings: [binding('janitor', { kind: 'Role', name: 'janitor' }, toJanitor)],
    });
    expect(missingPermission(lookup(s), refusal)).toBeUndefined();
    expect(missingPermission(lookup(s), { ...refusal, user: 'alice@example.com' })).toBeUndefined();
  });
});
