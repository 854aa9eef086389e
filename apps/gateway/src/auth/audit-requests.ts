// Audits every request that changes state (any method but GET/HEAD/OPTIONS) once it has been
// answered: who, what, the status, and the request id that ties it to the logs. Denials are audited
// where they happen (authenticate.ts), so only authenticated requests are recorded here.
import { type NextFunction, type Request, type Response } from 'express';
import { routeTemplate, type Logger } from '@foxhound/service-kit';
import { type AuditPort } from '../investigations/ports';
import { type Principal } from './principal';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function auditStateChanges(audit: AuditPort, logger: Logger) {
  return function auditStateChangesMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (READ_METHODS.has(req.method)) {
      next();
      return;
    }
    res.once('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      if (!principal || res.statusCode === 403) return;
      audit
        .append({
          kind: 'request',
          actor: principal.id,
          actorRole: principal.role,
          action: `${req.method} ${routeTemplate(req)}`,
          outcome: res.statusCode < 400 ? 'success' : 'failure',
          investigationId: res.locals.investigationId as string | undefined,
          target: res.locals.auditTarget as string | undefined,
          requestId: res.locals.requestId as string | undefined,
          details: { status: res.statusCode, path: req.path },
        })
        .catch((err: unknown) => logger.error({ err }, 'could not write an audit entry'));
    });
    next();
  };
}
