// JWT bearer verification: HS256 with a shared secret, or RS/ES keys from a JWKS URL. Issuer and
// audience are always checked, so a token minted for another service is refused.
import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from 'jose';
import { RoleSchema, type Role } from '@foxhound/contracts';
import { type Principal } from './principal';

export interface JwtOptions {
  secret?: string;
  jwksUrl?: string;
  issuer: string;
  audience: string;
}

export type JwtVerifier = (token: string) => Promise<Principal>;

const ROLE_ORDER: Role[] = ['viewer', 'investigator', 'approver', 'admin'];

/** The role claim: `foxhound_role`, or the highest Foxhound role found in `roles`. */
function roleFrom(payload: JWTPayload): Role | undefined {
  const single = RoleSchema.safeParse(payload.foxhound_role);
  if (single.success) return single.data;
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  const known = roles.map((r) => RoleSchema.safeParse(r)).flatMap((r) => (r.success ? [r.data] : []));
  return known.sort((a, b) => ROLE_ORDER.indexOf(b) - ROLE_ORDER.indexOf(a))[0];
}

export class JwtRejectedError extends Error {
  override readonly name = 'JwtRejectedError';
}

export function createJwtVerifier(options: JwtOptions): JwtVerifier {
  const key: Uint8Array | JWTVerifyGetKey = options.secret
    ? new TextEncoder().encode(options.secret)
    : createRemoteJWKSet(new URL(options.jwksUrl ?? ''), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  const algorithms = options.secret ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'];
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: 30,
      }));
    } catch (err) {
      throw new JwtRejectedError('Invalid or expired token.', { cause: err });
    }
    const role = roleFrom(payload);
    if (!payload.sub) throw new JwtRejectedError('Token has no subject.');
    if (!role) throw new JwtRejectedError('Token carries no Foxhound role (foxhound_role or roles).');
    return { id: `user:${payload.sub}`, role, via: 'jwt' };
  };
}
