// Who may use the router. With ROUTER_AUTH_TOKEN set every proxied request needs
// `Authorization: Bearer <token>` (compared in constant time by service-kit), with the SIG router's two
// 401 messages; without it everything is allowed. Probes and /metrics never reach this.
import { type IncomingHttpHeaders } from 'node:http';
import { AuthenticationError, bearerToken, safeEqual } from '@foxhound/service-kit';

export interface Authorizer {
  /** The error to answer with, or undefined to let the request through. */
  authorize(headers: IncomingHttpHeaders): AuthenticationError | undefined;
}

export const AUTH_MESSAGES = {
  missing: 'Missing or invalid Authorization header.',
  wrong: 'Invalid token.',
} as const;

export function bearerAuthorizer(token: string): Authorizer {
  return {
    authorize(headers) {
      const presented = bearerToken(headers.authorization);
      if (presented === undefined) return new AuthenticationError(AUTH_MESSAGES.missing);
      return safeEqual(presented, token) ? undefined : new AuthenticationError(AUTH_MESSAGES.wrong);
    },
  };
}
