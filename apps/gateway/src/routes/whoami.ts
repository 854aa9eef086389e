// GET /v1/whoami: the caller's principal, role and permissions, so a client (the console, the CLI's
// doctor) can say what a credential may do before it tries, and whether self-approval is on.
import { type Express } from 'express';
import { type WhoAmI } from '@foxhound/contracts';
import { principalOf } from '../auth/authenticate';
import { can, PERMISSIONS } from '../auth/principal';

export function whoamiRoutes(app: Express, options: { allowSelfApproval: boolean }): void {
  // Any authenticated caller may ask who it is; the authenticate middleware already refused the rest.
  app.get('/v1/whoami', (_req, res) => {
    const principal = principalOf(res);
    const body: WhoAmI = {
      id: principal.id,
      role: principal.role,
      via: principal.via,
      permissions: PERMISSIONS.filter((p) => can(principal, p)),
      selfApproval: options.allowSelfApproval,
    };
    res.json(body);
  });
}
