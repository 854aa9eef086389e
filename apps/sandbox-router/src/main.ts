// sandbox-router entry point. main() loads the config (exit 2 naming the bad variable); run() wires
// the router in order: metrics, resolver, authorizer, proxy handler, server. SIGTERM drains.
import {
  createLogger,
  createServiceMetrics,
  DrainController,
  type Logger,
  runMain,
  type Service,
} from '@foxhound/service-kit';
import { bearerAuthorizer } from './authz/bearer';
import { createManagerLocator } from './cache/manager-locator';
import { loadRouterConfig, type RouterConfig } from './config/env';
import { createRouterMetrics } from './observability/metrics';
import { createAddressPolicy } from './proxy/address';
import { createProxyHandler } from './proxy/proxy';
import { startRouterServer, type RouterServer } from './server/server';

export interface RunningRouter extends Service {
  server: RouterServer;
}

export async function run(config: RouterConfig, logger: Logger): Promise<RunningRouter> {
  // 1. Metrics: service-kit's registry (process and probe metrics) plus the router's own collectors.
  const serviceMetrics = createServiceMetrics('sandbox-router');
  const metrics = createRouterMetrics(serviceMetrics.registry, serviceMetrics.prefix);

  // 2. Resolver: the sandbox-manager when configured; X-Sandbox-Pod-IP and cluster DNS always.
  const locator =
    config.manager === undefined
      ? undefined
      : createManagerLocator({
          baseUrl: config.manager.url,
          token: config.manager.token,
          addressPolicy: createAddressPolicy(config),
          metrics,
        });

  // 3. Authorizer: bearer token when ROUTER_AUTH_TOKEN is set.
  const authorizer = config.authToken === undefined ? undefined : bearerAuthorizer(config.authToken);

  // 4. Proxy handler and server.
  const drain = new DrainController();
  const proxy = createProxyHandler({ config, logger, metrics, locator, authorizer, drain });
  const server = await startRouterServer({
    host: config.host,
    port: config.port,
    logger,
    proxy,
    serviceMetrics,
    metrics,
    drain,
  });

  logStartup(config, logger, server.url);
  return {
    logger,
    server,
    async shutdown() {
      await server.shutdown(config.shutdownTimeoutMs);
      locator?.close();
    },
  };
}

function logStartup(config: RouterConfig, logger: Logger, url: string): void {
  logger.info(
    {
      url,
      resolver: config.resolver,
      manager: config.manager?.url,
      allowedPorts: [...config.allowedPorts],
      podCidrs: config.podCidrs,
      clusterDomain: config.clusterDomain,
      idleTimeoutSeconds: config.idleTimeoutMs / 1000,
      auth: config.authToken === undefined ? 'disabled' : 'bearer',
    },
    'sandbox-router listening',
  );
  if (config.allowLoopbackUpstream) {
    logger.warn(
      'ROUTER_ALLOW_LOOPBACK_UPSTREAM=true: the sandbox-manager may route requests to loopback addresses on this ' +
        'host. Meant for one-machine setups only; never enable it in a cluster.',
    );
  }
  if (config.authToken === undefined) {
    logger.warn('ROUTER_AUTH_TOKEN is not set: anyone who can reach the router can reach every sandbox');
  }
  if (config.podCidrs.length === 0) {
    logger.info('ROUTER_POD_CIDRS is empty: requests with X-Sandbox-Pod-IP are refused (400)');
  }
}

if (require.main === module) {
  void runMain(async () => {
    const config = loadRouterConfig();
    const logger = createLogger({ service: 'sandbox-router', level: config.logLevel });
    return run(config, logger);
  });
}
