// RBAC from the refused client's side: a Kubernetes client that logs "User
// system:serviceaccount:NS:SA cannot VERB resource R in API group G" lacks one permission. This finds
// what grants that ServiceAccount anything (RoleBindings in the namespace, ClusterRoleBindings,
// subjects by name or by the service-account groups), and names the role to extend: the one whose
// rules already cover the resource with other verbs, else the only role bound. With nothing bound,
// the ServiceAccount itself is the gap. Rules follow the RBAC documentation
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/): `*` matches any verb, resource
// or group; a subresource is written `resource/sub`.
import { type ObjectRef } from '@foxhound/contracts';
import { type LogEntities } from '../logs/types';
import { type Lookup } from '../lookup';
import { type PolicyRule, type Role, type RoleBinding, type RoleSubject } from '../snapshot';
import { refOf } from '../util/refs';

/** A Forbidden refusal as the log model reads it: caller (`system:serviceaccount:<ns>:<name>`), verb, resource, API group. */
export type Refusal = NonNullable<LogEntities['forbidden']>;

export interface MissingPermission {
  /** The object to change: the Role or ClusterRole to extend, or the ServiceAccount nothing grants to. */
  ref: ObjectRef;
  description: string;
  /** The namespaced Role to extend, when that is the fix (a ClusterRole is never edited). */
  role?: Role;
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

const matches = (list: string[] | undefined, value: string) => !!list?.some((x) => x === '*' || x === value);

function ruleAllows(rule: PolicyRule, r: Refusal): boolean {
  return (
    matches(rule.verbs, r.verb) &&
    matches(rule.apiGroups, r.group) &&
    matches(rule.resources, r.resource) &&
    !rule.resourceNames?.length
  );
}

/** The verbs a role grants on the refused resource, whatever the verb asked. */
function verbsOn(role: Role, r: Refusal): string[] {
  return [
    ...new Set(
      (role.rules ?? [])
        .filter((rule) => matches(rule.apiGroups, r.group) && matches(rule.resources, r.resource))
        .flatMap((rule) => rule.verbs),
    ),
  ];
}

function bindsAccount(binding: RoleBinding, namespace: string, name: string): boolean {
  return !!binding.subjects?.some(
    (s: RoleSubject) =>
      (s.kind === 'ServiceAccount' &&
        s.name === name &&
        (s.namespace ?? binding.metadata.namespace) === namespace) ||
      (s.kind === 'Group' &&
        (s.name === 'system:serviceaccounts' || s.name === `system:serviceaccounts:${namespace}`)),
  );
}

interface Bound {
  binding: RoleBinding;
  role: Role;
  kind: 'Role' | 'ClusterRole';
}

function boundRoles(l: Lookup, namespace: string, name: string): Bound[] {
  const out: Bound[] = [];
  const bindings = [
    ...l.list('roleBindings').filter((b) => b.metadata.namespace === namespace),
    ...l.list('clusterRoleBindings'),
  ];
  for (const binding of bindings) {
    if (!bindsAccount(binding, namespace, name)) continue;
    const kind = binding.roleRef.kind === 'ClusterRole' ? 'ClusterRole' : 'Role';
    const role =
      kind === 'ClusterRole'
        ? l.get('clusterRoles', undefined, binding.roleRef.name)
        : l.get('roles', namespace, binding.roleRef.name);
    if (role) out.push({ binding, role, kind });
  }
  return out;
}

const describeBinding = (b: Bound) =>
  `${b.binding.kind ?? (b.binding.metadata.namespace ? 'RoleBinding' : 'ClusterRoleBinding')} ${b.binding.metadata.namespace ? `${b.binding.metadata.namespace}/` : ''}${b.binding.metadata.name}`;

/** What to change so the refused call is allowed, when the snapshot holds the account's RBAC. */
export function missingPermission(l: Lookup, r: Refusal): MissingPermission | undefined {
  const account = SA_USER.exec(r.user);
  if (!account) return undefined;
  const [, namespace, name] = account;
  const what = `${r.verb} on ${r.resource}${r.group ? ` (API group ${r.group})` : ''}`;
  const bound = boundRoles(l, namespace, name);
  // Something already allows it: the refusal came from elsewhere (another namespace, a webhook).
  if (bound.some((b) => (b.role.rules ?? []).some((rule) => ruleAllows(rule, r)))) return undefined;
  if (!bound.length) {
    const sa = l.get('serviceAccounts', namespace, name);
    if (!sa) return undefined;
    return {
      ref: refOf('ServiceAccount', sa),
      description: `no RoleBinding or ClusterRoleBinding grants ServiceAccount ${namespace}/${name} anything, so ${what} is refused`,
    };
  }
  const covering = bound.filter((b) => verbsOn(b.role, r).length > 0);
  const target = covering[0] ?? (bound.length === 1 ? bound[0] : undefined);
  if (!target) return undefined;
  const granted = verbsOn(target.role, r);
  const roleName = `${target.kind} ${target.kind === 'Role' ? `${namespace}/` : ''}${target.role.metadata.name}`;
  return {
    ref: refOf(target.kind, target.role),
    ...(target.kind === 'Role' ? { role: target.role } : {}),
    description: `${roleName}, bound to ServiceAccount ${namespace}/${name} by ${describeBinding(target)}, ${
      granted.length
        ? `grants ${granted.join(', ')} on ${r.resource} but not ${r.verb}`
        : `grants nothing on ${r.resource}`
    }: the ${r.verb} is refused (Forbidden)`,
  };
}
