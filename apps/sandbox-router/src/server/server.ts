// The router's HTTP server: one port for the proxy, its probes and /metrics. Requests go to the
// proxy unless they are the router's own endpoints (probes.ts); upgrades go to the WebSocket relay.
// Shutdown drains through service-kit (readiness 503, in-flight requests and open streams finish up
// to the deadline), then ends WebSocket tunnels, which the http server no longer tracks.
import { type DrainController, type Logger, type ServiceMetrics, startServer } from '@foxhound/service-kit';
import { type RouterMetrics } from '../observability/metrics';
import { type ProxyHandler } from '../proxy/proxy';
import { createProbeApp, isOwnEndpoint } from './probes';

export interface RouterServerOptions {
  host: string;
  port: number;
  logger: Logger;
  proxy: ProxyHandler;
  serviceMetrics: ServiceMetrics;
  metrics: RouterMetrics;
  drain: DrainController;
}

export interface RouterServer {
  url: string;
  port: number;
  /** Drains within `deadlineMs`, then closes what is left. Safe to call more than once. */
  shutdown(deadlineMs: number): Promise<void>;
}

export async function startRouterServer(options: RouterServerOptions): Promise<RouterServer> {
  const { proxy, drain, logger } = options;
  const probes = createProbeApp({
    service: 'sandbox-router',
    logger,
    metrics: options.serviceMetrics,
    drain,
  });
  const running = await startServer(
    (req, res) => {
      if (isOwnEndpoint(req)) probes(req, res);
      else proxy.web(req, res);
    },
    { host: options.host, port: options.port, logger, drain },
  );
  // node's 300 s default would cut an upload that is still moving; the relay's idle timeout governs
  // request bodies instead (headersTimeout still bounds a client that never finishes its head).
  running.server.requestTimeout = 0;
  running.server.on('upgrade', proxy.upgrade);
  running.server.on('connection', options.metrics.trackConnection);
  let stopping: Promise<void> | undefined;
  return {
    url: running.url,
    port: running.port,
    shutdown(deadlineMs) {
      stopping ??= (async () => {
        const deadline = setTimeout(() => proxy.close(), deadlineMs);
        try {
          await running.shutdown(deadlineMs);
        } finally {
          clearTimeout(deadline);
          proxy.close();
        }
      })();
      return stopping;
    },
  };
}
