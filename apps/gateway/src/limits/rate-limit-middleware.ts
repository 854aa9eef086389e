// Applies the per-principal rate limit after authentication: 429 with Retry-After when exceeded. The
// alert webhooks have their own limiter, so an integration's alert bursts and its other requests do
// not starve each other. A limit may be counted in the store (shared by replicas), so the check is async.
import { type NextFunction, type Request, type Response } from 'express';
import { RateLimitedError } from '@foxhound/service-kit';
import { principalOf } from '../auth/authenticate';
import { type RateLimit } from './rate-limit';

export const ALERT_ROUTES_PREFIX = '/v1/alerts';

export function rateLimit(limiter: RateLimit, alertLimiter: RateLimit = limiter) {
  return async function rateLimitMiddleware(req: Request, res: Response, next: NextFunction): Promise<void> {
    const alert = req.path === ALERT_ROUTES_PREFIX || req.path.startsWith(`${ALERT_ROUTES_PREFIX}/`);
    let decision;
    try {
      decision = await (alert ? alertLimiter : limiter).take(principalOf(res).id);
    } catch (err) {
      next(err);
      return;
    }
    if (decision.allowed) {
      next();
      return;
    }
    next(
      new RateLimitedError('Too many requests for this credential; slow down.', decision.retryAfterSeconds),
    );
  };
}
