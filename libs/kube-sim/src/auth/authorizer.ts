// Authorization modes: allow-all, RBAC from the store's role and binding objects, or a function
// (a static policy for tests). system:masters and the public discovery paths are always allowed,
// as the real bootstrap policy does. A denial becomes the real server's 403 Status message.
import { qualifiedResource, errors, type StatusError } from '../api/status';
import { type KubeStore } from '../store';
import { type UserInfo } from '../types';
import { rbacAllows } from './rbac';

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export type AuthorizeFunction = (attributes: AuthorizationAttributes) => boolean;
export type AuthorizationMode = 'allow-all' | 'rbac' | AuthorizeFunction;

const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];
const DISCOVERY_PREFIXES = ['/api', '/apis', '/openapi'];

function alwaysAllowed(a: AuthorizationAttributes): boolean {
  if (a.user.groups.includes('system:masters')) return true;
  if (a.isResourceRequest) {
    // system:basic-user: anyone authenticated may ask what they may do.
    return (
      a.verb === 'create' &&
      a.group === 'authorization.k8s.io' &&
      (a.resource === 'selfsubjectaccessreviews' || a.resource === 'selfsubjectrulesreviews') &&
      a.user.groups.includes('system:authenticated')
    );
  }
  if (a.verb !== 'get') return false;
  if (PUBLIC_PATHS.some((p) => a.path === p || a.path.startsWith(`${p}/`))) return true;
  return (
    a.user.groups.includes('system:authenticated') &&
    DISCOVERY_PREFIXES.some((p) => a.path === p || a.path.startsWith(`${p}/`))
  );
}

export function authorize(mode: AuthorizationMode, store: KubeStore, a: AuthorizationAttributes): boolean {
  if (mode === 'allow-all' || alwaysAllowed(a)) return true;
  if (mode === 'rbac') return rbacAllows(store, a);
  return mode(a);
}

/** `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`. */
export function forbidden(a: AuthorizationAttributes): StatusError {
  if (!a.isResourceRequest) {
    return errors.forbidden(`forbidden: User "${a.user.username}" cannot ${a.verb} path "${a.path}"`);
  }
  const r = { group: a.group ?? '', plural: a.resource ?? '' };
  const target = a.name ? `${qualifiedResource(r)} "${a.name}"` : qualifiedResource(r);
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return errors.forbidden(
    `${target} is forbidden: User "${a.user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.group ?? ''}" ${scope}`,
    r,
    a.name,
  );
}
