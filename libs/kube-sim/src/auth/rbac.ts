// RBAC evaluation over the Role, ClusterRole, RoleBinding and ClusterRoleBinding objects in the
// store, as the real RBAC authorizer does it: bindings select subjects (User, Group,
// ServiceAccount), rules match verb, API group, resource[/subresource] and resource name, or
// non-resource URLs; ClusterRoles with an aggregationRule collect the rules of matching roles.
import { fromStructured, matchesLabels, type StructuredLabelSelector } from '../selectors/labels';
import { type KubeStore } from '../store';
import { type KubeObject, type UserInfo } from '../types';
import { type AuthorizationAttributes } from './authorizer';

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface Binding extends KubeObject {
  subjects?: Subject[];
  roleRef?: { kind: string; name: string };
}

function subjectMatches(s: Subject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.username;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount':
      return user.username === `system:serviceaccount:${s.namespace ?? bindingNamespace}:${s.name}`;
    default:
      return false;
  }
}

function has(list: string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes('*') || list.includes(value));
}

function ruleAllows(rule: PolicyRule, a: AuthorizationAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.isResourceRequest) {
    return (rule.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, a.group ?? '')) return false;
  const resources = rule.resources ?? [];
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '');
  const resourceOk =
    resources.includes('*') ||
    resources.includes(combined) ||
    (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

function clusterRoleRules(store: KubeStore, name: string, depth = 0): PolicyRule[] {
  const role = store.find('clusterroles.rbac.authorization.k8s.io', undefined, name) as
    | (KubeObject & {
        rules?: PolicyRule[];
        aggregationRule?: { clusterRoleSelectors?: StructuredLabelSelector[] };
      })
    | undefined;
  if (!role) return [];
  const rules = [...(role.rules ?? [])];
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  if (selectors.length && depth < 2) {
    const all = store.list('clusterroles.rbac.authorization.k8s.io').items;
    for (const sel of selectors.map(fromStructured)) {
      for (const other of all) {
        if (other.metadata.name !== name && matchesLabels(sel, other.metadata.labels)) {
          rules.push(...clusterRoleRules(store, other.metadata.name, depth + 1));
        }
      }
    }
  }
  return rules;
}

function roleRules(store: KubeStore, binding: Binding): PolicyRule[] {
  const ref = binding.roleRef;
  if (!ref) return [];
  if (ref.kind === 'ClusterRole') return clusterRoleRules(store, ref.name);
  const role = store.find('roles.rbac.authorization.k8s.io', binding.metadata.namespace, ref.name) as
    (KubeObject & { rules?: PolicyRule[] }) | undefined;
  return role?.rules ?? [];
}

/** Whether the RBAC objects in `store` allow the request. */
export function rbacAllows(store: KubeStore, a: AuthorizationAttributes): boolean {
  const bound = (b: Binding) =>
    (b.subjects ?? []).some((s) => subjectMatches(s, a.user, b.metadata.namespace));
  for (const b of store.list('clusterrolebindings.rbac.authorization.k8s.io').items as Binding[]) {
    if (bound(b) && roleRules(store, b).some((r) => ruleAllows(r, a))) return true;
  }
  if (a.isResourceRequest && a.namespace) {
    const bindings = store.list('rolebindings.rbac.authorization.k8s.io', { namespace: a.namespace })
      .items as Binding[];
    for (const b of bindings) {
      if (bound(b) && roleRules(store, b).some((r) => ruleAllows(r, a))) return true;
    }
  }
  return false;
}
