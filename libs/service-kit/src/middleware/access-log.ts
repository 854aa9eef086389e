// One log line per finished request, with a child logger (carrying the request id) handed to the
// route in res.locals.log. 5xx at error, 4xx at info, the rest at debug so probes stay quiet.
import { type NextFunction, type Request, type Response } from 'express';
import { type Logger } from '../observability/logger';

export function accessLog(logger: Logger) {
  return function accessLogMiddleware(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const log = logger.child({ requestId: res.locals.requestId });
    res.locals.log = log;
    res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        aborted: !res.writableFinished,
      };
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else if (res.statusCode >= 400) log.info(line, 'request rejected');
      else log.debug(line, 'request');
    });
    next();
  };
}
