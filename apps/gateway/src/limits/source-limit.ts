// The per-source-address limit, before authentication: a flood from one address is refused (429
// with Retry-After) before it costs a key lookup, a JWT check or an audit write. The refusal is
// counted in the denial ledger like an unauthenticated request.
import { type NextFunction, type Request, type Response } from 'express';
import { RateLimitedError } from '@foxhound/service-kit';
import { type DenialLedger } from '../auth/denial-ledger';
import { type RateLimiter } from './rate-limit';
import { sourceAddress } from './source-address';

export function sourceRateLimit(options: {
  limiter: RateLimiter;
  trustedProxyHops: number;
  denials: DenialLedger;
}) {
  return function sourceRateLimitMiddleware(req: Request, res: Response, next: NextFunction): void {
    const source = sourceAddress(req, options.trustedProxyHops);
    res.locals.source = source;
    const decision = options.limiter.take(source);
    if (decision.allowed) {
      next();
      return;
    }
    options.denials.record(source, 'source rate limit');
    next(new RateLimitedError('Too many requests from this address; slow down.', decision.retryAfterSeconds));
  };
}
