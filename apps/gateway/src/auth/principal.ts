// Who is calling and what they may do. Roles map to permissions in one table, so a route asks for a
// permission ("investigations:write"), never for a role name.
import { type Role } from '@foxhound/contracts';

export interface Principal {
  /** Stable id for audit and rate limiting: `key:<id>`, `user:<sub>`, `anonymous`. */
  id: string;
  role: Role;
  via: 'api-key' | 'jwt' | 'open';
}

export const PERMISSIONS = [
  'investigations:read',
  'investigations:write',
  'alerts:write',
  'actions:read',
  'actions:decide',
  'keys:manage',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['investigations:read', 'actions:read'],
  investigator: ['investigations:read', 'investigations:write', 'alerts:write', 'actions:read'],
  approver: ['investigations:read', 'actions:read', 'actions:decide'],
  admin: PERMISSIONS,
};

export function can(principal: Principal, permission: Permission): boolean {
  return ROLE_PERMISSIONS[principal.role].includes(permission);
}

/** The role needed for a permission, for "requires the X role" messages. */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) =>
    ROLE_PERMISSIONS[role].includes(permission),
  );
}
