// Applies the per-principal rate limit after authentication: 429 with Retry-After when exceeded. The
// alert webhooks have their own limiter, so an integration's alert bursts and its other requests do
// not starve each other.
import { type NextFunction, type Request, type Response } from 'express';
import { RateLimitedError } from '@foxhound/service-kit';
import { principalOf } from '../auth/authenticate';
import { type RateLimiter } from './rate-limit';

export const ALERT_ROUTES_PREFIX = '/v1/alerts';

export function rateLimit(limiter: RateLimiter, alertLimiter: RateLimiter = limiter) {
  return function rateLimitMiddleware(req: Request, res: Response, next: NextFunction): void {
    const alert = req.path === ALERT_ROUTES_PREFIX || req.path.startsWith(`${ALERT_ROUTES_PREFIX}/`);
    const decision = (alert ? alertLimiter : limiter).take(principalOf(res).id);
    if (decision.allowed) {
      next();
      return;
    }
    next(
      new RateLimitedError('Too many requests for this credential; slow down.', decision.retryAfterSeconds),
    );
  };
}
