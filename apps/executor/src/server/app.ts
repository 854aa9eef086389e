// The executor's HTTP app: service-kit's base (request ids, access logs, metrics, /healthz /readyz
// /metrics, JSON errors) plus /execute and /interrupt.
import { createServiceApp, type ServiceApp } from '@foxhound/service-kit';
import { executeRoutes, type RouteDeps } from '../routes/execute';
import { interruptRoutes } from '../routes/interrupt';

export function createExecutorApp(deps: RouteDeps): ServiceApp {
  return createServiceApp({
    service: 'executor',
    logger: deps.logger,
    metrics: deps.metrics,
    drain: deps.drain,
    routes: (app) => {
      app.use(executeRoutes(deps));
      app.use(interruptRoutes(deps));
    },
  });
}
