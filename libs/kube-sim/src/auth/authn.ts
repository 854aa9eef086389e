// Authentication: bearer tokens mapped to users and groups (compared in constant time), anonymous
// requests as system:anonymous, and an "open" mode (no tokens configured) where every request is
// an administrator, for tests that do not exercise auth.
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type UserInfo } from '../types';

export const TokenEntrySchema = z.object({
  token: z.string().min(8, 'a token needs at least 8 characters').max(4096),
  user: z.string().min(1).max(256),
  groups: z.array(z.string().min(1).max(256)).max(64).default([]),
});
export type TokenEntry = z.input<typeof TokenEntrySchema>;

export const ADMIN_USER: UserInfo = {
  username: 'kube-sim-admin',
  groups: ['system:masters', 'system:authenticated'],
};
export const ANONYMOUS_USER: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

export type Authenticator = (authorization: string | undefined) => UserInfo | undefined;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Groups every user of that name has, beyond the configured ones (service accounts, authenticated). */
function impliedGroups(user: string): string[] {
  const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(user);
  const groups = ['system:authenticated'];
  if (sa) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  return groups;
}

/**
 * `tokens` undefined: every request is the administrator. Otherwise a known token is its user,
 * no Authorization header is anonymous (when allowed), anything else is undefined (401).
 */
export function createAuthenticator(tokens: TokenEntry[] | undefined, allowAnonymous = true): Authenticator {
  if (tokens === undefined) return () => ADMIN_USER;
  const entries = tokens.map((t) => {
    const e = TokenEntrySchema.parse(t);
    return {
      hash: digest(e.token),
      user: { username: e.user, groups: [...new Set([...e.groups, ...impliedGroups(e.user)])] },
    };
  });
  return (authorization) => {
    if (authorization === undefined || authorization === '')
      return allowAnonymous ? ANONYMOUS_USER : undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) return undefined;
    const presented = digest(m[1]);
    let found: UserInfo | undefined;
    // Compare against every entry so timing does not reveal which one matched.
    for (const e of entries) if (timingSafeEqual(e.hash, presented)) found = e.user;
    return found;
  };
}
