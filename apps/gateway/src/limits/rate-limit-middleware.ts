// Applies the per-principal rate limit after authentication: 429 with Retry-After when exceeded.
import { type NextFunction, type Request, type Response } from 'express';
import { RateLimitedError } from '@foxhound/service-kit';
import { principalOf } from '../auth/authenticate';
import { type RateLimiter } from './rate-limit';

export function rateLimit(limiter: RateLimiter) {
  return function rateLimitMiddleware(_req: Request, res: Response, next: NextFunction): void {
    const decision = limiter.take(principalOf(res).id);
    if (decision.allowed) {
      next();
      return;
    }
    next(
      new RateLimitedError('Too many requests for this credential; slow down.', decision.retryAfterSeconds),
    );
  };
}
