// Resolves the caller to a Principal: an API key (`X-API-Key: fh_...` or `Authorization: Bearer
// fh_...`), a JWT bearer token when JWT is configured, or, in the explicitly configured open demo
// mode, an anonymous admin. Every denial is audited: unauthenticated ones counted per source address
// and minute (denial-ledger.ts), so a flood cannot grow the audit chain by a row per request.
import { type NextFunction, type Request, type Response } from 'express';
import { AuthenticationError, NotAllowedError, bearerToken } from '@foxhound/service-kit';
import { type ApiKeysPort, type AuditPort } from '../investigations/ports';
import { type DenialLedger } from './denial-ledger';
import { type JwtVerifier } from './jwt';
import { can, rolesWith, type Permission, type Principal } from './principal';

export interface AuthenticateOptions {
  mode: 'keys' | 'open';
  apiKeys: ApiKeysPort;
  jwt?: JwtVerifier;
  denials: DenialLedger;
}

const API_KEY_PREFIX = 'fh_';
const OPEN_PRINCIPAL: Principal = { id: 'anonymous', role: 'admin', via: 'open' };

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new AuthenticationError('Not authenticated.');
  return principal;
}

export function authenticate(options: AuthenticateOptions) {
  return async function authenticateMiddleware(
    req: Request,
    res: Response,
    next: NextFunction,
  ): Promise<void> {
    if (options.mode === 'open') {
      res.locals.principal = OPEN_PRINCIPAL;
      next();
      return;
    }
    const headerKey = req.headers['x-api-key'];
    const presented = typeof headerKey === 'string' ? headerKey : bearerToken(req.headers.authorization);
    try {
      if (presented === undefined)
        throw new AuthenticationError('Missing credentials: send X-API-Key or Authorization: Bearer.');
      res.locals.principal = await resolve(presented, options);
      next();
    } catch (err) {
      if (err instanceof AuthenticationError) {
        const source = (res.locals.source as string | undefined) ?? req.socket.remoteAddress ?? 'unknown';
        options.denials.record(
          source,
          presented === undefined ? 'missing credentials' : 'invalid credentials',
        );
      }
      next(err);
    }
  };
}

async function resolve(presented: string, options: AuthenticateOptions): Promise<Principal> {
  if (presented.startsWith(API_KEY_PREFIX)) {
    const key = await options.apiKeys.verify(presented);
    if (!key) throw new AuthenticationError('Invalid, expired or revoked API key.');
    return { id: `key:${key.id}`, role: key.role, via: 'api-key' };
  }
  if (!options.jwt) throw new AuthenticationError('Invalid credentials.');
  try {
    return await options.jwt(presented);
  } catch (err) {
    throw new AuthenticationError(err instanceof Error ? err.message : 'Invalid token.', { cause: err });
  }
}

/** Refuses (403, audited) a principal whose role lacks `permission`. */
export function requirePermission(permission: Permission, audit: AuditPort) {
  return function requirePermissionMiddleware(req: Request, res: Response, next: NextFunction): void {
    const principal = principalOf(res);
    if (can(principal, permission)) {
      next();
      return;
    }
    const needed = rolesWith(permission).join(' or ');
    const reason = `Role ${principal.role} may not ${permission.replace(':', ' ')}; this needs the ${needed} role.`;
    void audit
      .append({
        kind: 'request',
        actor: principal.id,
        actorRole: principal.role,
        action: `${req.method} ${req.path}`,
        outcome: 'denied',
        requestId: res.locals.requestId,
        details: { reason, permission },
      })
      .catch(() => undefined);
    next(new NotAllowedError(reason));
  };
}
