// Prometheus metrics on a private registry: process default metrics plus the HTTP request-duration
// histogram every service exposes. Labels come from a fixed set (method, route template, status
// code); never ids, paths with ids in them, or error text.
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  registry: Registry;
  /** Metric name prefix, e.g. `foxhound_sandbox_router_`. */
  prefix: string;
  httpRequestDuration: Histogram<'method' | 'route' | 'code'>;
}

export function metricPrefix(service: string): string {
  return `foxhound_${service.replace(/[^a-zA-Z0-9]/g, '_')}_`;
}

export function createServiceMetrics(service: string, registry: Registry = new Registry()): ServiceMetrics {
  const prefix = metricPrefix(service);
  collectDefaultMetrics({ register: registry, prefix });
  const httpRequestDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return { registry, prefix, httpRequestDuration };
}
