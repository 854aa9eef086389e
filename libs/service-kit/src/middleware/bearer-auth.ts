// Optional bearer-token auth for internal hops (gateway → router, gateway → manager). Tokens are
// compared in constant time over their SHA-256 digests, so neither content nor length leaks.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type NextFunction, type Request, type Response } from 'express';
import { AuthenticationError } from '../errors/http-errors';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time string equality (lengths may differ). */
export function safeEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Extracts the token from `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim());
  return match?.[1];
}

/** Returns a checker that accepts the request when `token` is unset (auth disabled). */
export function createBearerCheck(token: string | undefined): (authorization: string | undefined) => boolean {
  if (token === undefined) return () => true;
  return (authorization) => {
    const presented = bearerToken(authorization);
    return presented !== undefined && safeEqual(presented, token);
  };
}

export function bearerAuth({ token, exempt = [] }: { token: string | undefined; exempt?: string[] }) {
  const check = createBearerCheck(token);
  return function bearerAuthMiddleware(req: Request, _res: Response, next: NextFunction): void {
    if (exempt.includes(req.path) || check(req.headers.authorization)) {
      next();
      return;
    }
    next(new AuthenticationError('Missing or invalid bearer token.'));
  };
}
