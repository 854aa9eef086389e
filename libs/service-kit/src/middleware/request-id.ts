// Gives every request an id, reusing the caller's X-Request-ID only when it is short and plain, so a
// hostile header cannot inject text into logs. The id is echoed on the response.
import { randomUUID } from 'node:crypto';
import { type NextFunction, type Request, type Response } from 'express';
import { REQUEST_ID_HEADER } from '@foxhound/contracts';

const SAFE_ID = /^[\w=-]+$/;

export function acceptRequestId(value: unknown, maxLength = 128): string {
  return typeof value === 'string' && value.length <= maxLength && SAFE_ID.test(value) ? value : randomUUID();
}

export function requestId({ maxLength = 128 }: { maxLength?: number } = {}) {
  return function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
    const id = acceptRequestId(req.headers[REQUEST_ID_HEADER], maxLength);
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}
