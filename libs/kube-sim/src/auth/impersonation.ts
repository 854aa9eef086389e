// Impersonation (k8s.io/apiserver pkg/endpoints/filters/impersonation.go): `Impersonate-User`,
// `Impersonate-Group` (repeated), `Impersonate-Uid` and `Impersonate-Extra-<key>` headers, as
// `kubectl --as`, `--as-group` and `--as-uid` send them. The requesting user must be allowed the
// `impersonate` verb on each: `users` (or `serviceaccounts` in their namespace for a
// system:serviceaccount:<ns>:<name> user), `groups`, `uids` and `userextras/<key>` in
// authentication.k8s.io; a refusal is the usual 403 naming the requester. The request then runs
// as the impersonated user with the impersonated groups plus system:authenticated (and the
// service-account groups), and none of the requester's.
import { type IncomingHttpHeaders } from 'node:http';
import { errors } from '../api/status';
import { type UserInfo } from '../types';
import { forbidden, type AuthorizationAttributes } from './authorizer';

const values = (headers: IncomingHttpHeaders, name: string): string[] => {
  const v = headers[name];
  return v === undefined ? [] : (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean);
};

/** The user the request acts as; throws 403 when the requester may not impersonate, 400 on bad headers. */
export function impersonate(
  headers: IncomingHttpHeaders,
  requester: UserInfo,
  allowed: (attributes: AuthorizationAttributes) => boolean,
): UserInfo {
  const [username, ...more] = values(headers, 'impersonate-user');
  const groups = values(headers, 'impersonate-group');
  const uids = values(headers, 'impersonate-uid');
  const extraKeys = Object.keys(headers).filter((h) => h.startsWith('impersonate-extra-'));
  if (!username && !groups.length && !uids.length && !extraKeys.length) return requester;
  if (more.length) throw errors.badRequest('only one Impersonate-User header may be given');
  if (!username) {
    const what = [...groups.map((g) => `{Group ${g}}`), ...uids.map((u) => `{UID ${u}}`)].join(' ');
    throw errors.badRequest(`requested [${what}] without impersonating a user`);
  }
  const check = (a: Omit<AuthorizationAttributes, 'user' | 'verb' | 'isResourceRequest' | 'path'>) => {
    const attributes: AuthorizationAttributes = {
      user: requester,
      verb: 'impersonate',
      isResourceRequest: true,
      path: '',
      ...a,
    };
    if (!allowed(attributes)) throw forbidden(attributes);
  };
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (sa) check({ group: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] });
  else check({ group: '', resource: 'users', name: username });
  for (const g of groups) check({ group: '', resource: 'groups', name: g });
  for (const u of uids) check({ group: 'authentication.k8s.io', resource: 'uids', name: u });
  for (const h of extraKeys) {
    const key = decodeURIComponent(h.slice('impersonate-extra-'.length));
    for (const v of values(headers, h))
      check({ group: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v });
  }
  const implied = username === 'system:anonymous' ? [] : ['system:authenticated'];
  if (sa) implied.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  return { username, groups: [...new Set([...groups, ...implied])] };
}
