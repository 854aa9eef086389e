// The express app every Foxhound service starts from: request ids, access logs, HTTP metrics,
// probes, optional bearer auth, the service's routes, then 404 and JSON error mapping.
import express, { type Express } from 'express';
import { type Logger } from '../observability/logger';
import { createServiceMetrics, type ServiceMetrics } from '../observability/metrics';
import { accessLog } from '../middleware/access-log';
import { bearerAuth } from '../middleware/bearer-auth';
import { errorHandler, notFound, type ErrorMapper } from '../middleware/error-handler';
import { httpMetrics } from '../middleware/http-metrics';
import { requestId } from '../middleware/request-id';
import { DrainController } from './drain';
import { probeRoutes, type ReadinessCheck } from './probes';

export interface ServiceAppOptions {
  /** Service name for logs and the metric prefix, e.g. `sandbox-manager`. */
  service: string;
  logger: Logger;
  metrics?: ServiceMetrics;
  drain?: DrainController;
  /** Dependencies that must be usable for /readyz to say ready. */
  readiness?: ReadinessCheck[];
  /** When set, every route except the probes and /metrics requires `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Mounts the service's own routes. */
  routes: (app: Express) => void;
  /** Translates the service's own error types into HTTP errors before they are answered. */
  mapError?: ErrorMapper;
}

export interface ServiceApp {
  app: Express;
  metrics: ServiceMetrics;
  drain: DrainController;
}

export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const metrics = options.metrics ?? createServiceMetrics(options.service);
  const drain = options.drain ?? new DrainController();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  app.use(accessLog(options.logger));
  app.use(httpMetrics(metrics));
  app.use(
    probeRoutes({
      service: options.service,
      drain,
      registry: metrics.registry,
      readiness: options.readiness ?? [],
    }),
  );
  if (options.authToken !== undefined) app.use(bearerAuth({ token: options.authToken }));
  options.routes(app);
  app.use(notFound());
  app.use(errorHandler(options.logger, options.mapError));
  return { app, metrics, drain };
}
