// Observes request duration by route template (`/v1/sandboxes/:id`, never the concrete path, so ids
// cannot explode the label set). Requests that matched no route count as `unmatched`.
import { type NextFunction, type Request, type Response } from 'express';
import { type ServiceMetrics } from '../observability/metrics';

export function routeTemplate(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
}

export function httpMetrics(metrics: ServiceMetrics) {
  return function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
    const end = metrics.httpRequestDuration.startTimer();
    res.once('close', () => {
      end({ method: req.method, route: routeTemplate(req), code: String(res.statusCode) });
    });
    next();
  };
}
