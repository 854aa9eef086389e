// The router's own endpoints: /healthz, /readyz and /metrics from service-kit (express), served on
// the proxy port to requests that carry no X-Sandbox-ID. A request that names a sandbox always goes to
// the sandbox, so an executor's own /healthz stays reachable through the router.
import { type IncomingMessage } from 'node:http';
import { SandboxHeaders } from '@foxhound/contracts';
import {
  createServiceApp,
  type DrainController,
  type Logger,
  type ServiceMetrics,
} from '@foxhound/service-kit';

const OWN_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function isOwnEndpoint(req: IncomingMessage): boolean {
  if (req.headers[SandboxHeaders.id] !== undefined) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return OWN_PATHS.has(query === -1 ? url : url.slice(0, query));
}

export function createProbeApp(options: {
  service: string;
  logger: Logger;
  metrics: ServiceMetrics;
  drain: DrainController;
}) {
  // Readiness has no dependency checks on purpose: a sandbox-manager outage must not take the
  // router out of its Service, since X-Sandbox-Pod-IP and DNS routing keep working without it.
  return createServiceApp({ ...options, readiness: [], routes: () => undefined }).app;
}
