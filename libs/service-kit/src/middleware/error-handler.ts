// The last middleware: maps thrown errors to `{"detail","code"}`. After headers are sent (an SSE
// stream already started) no JSON can follow, so the connection is ended instead.
import { type NextFunction, type Request, type Response } from 'express';
import { NotFoundError, toErrorResponse } from '../errors/http-errors';
import { type Logger } from '../observability/logger';

export function notFound() {
  return function notFoundMiddleware(req: Request, _res: Response, next: NextFunction): void {
    next(new NotFoundError(`No route for ${req.method} ${req.path}.`));
  };
}

/** Lets a service translate its own error types (e.g. a store outage) into HTTP errors. */
export type ErrorMapper = (err: unknown) => unknown;

export function errorHandler(logger: Logger, mapError: ErrorMapper = (err) => err) {
  // Express recognises error middleware by its four parameters.
  return function errorHandlerMiddleware(
    err: unknown,
    _req: Request,
    res: Response,
    _next: NextFunction,
  ): void {
    const log: Logger = res.locals.log ?? logger;
    const { status, body, headers } = toErrorResponse(mapError(err));
    if (status >= 500) log.error({ err }, body.detail);
    else log.debug({ err: err instanceof Error ? err.message : err, status }, body.detail);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).set(headers).json(body);
  };
}
