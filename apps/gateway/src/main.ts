// Gateway entry point: the one public service. Loads config (exit 2 naming a bad variable), opens
// the store, starts the HTTP server, and drains streams and investigations on SIGTERM.
import { createLogger, loadConfig, runMain, startServer } from '@foxhound/service-kit';
import { createStore } from '@foxhound/store';
import { GatewayConfigSchema } from './config/schema';
import { createGatewayApp } from './server/app';

void runMain(async () => {
  // 1. Config and logger.
  const config = loadConfig(GatewayConfigSchema);
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  if (config.GATEWAY_AUTH_MODE === 'open') {
    logger.warn(
      'GATEWAY_AUTH_MODE=open: every caller is an anonymous admin. Use this only for a local demo.',
    );
  }

  // 2. Store: PostgreSQL when DATABASE_URL is set, PGlite otherwise; migrations run here.
  const store = await createStore(
    config.DATABASE_URL
      ? { databaseUrl: config.DATABASE_URL }
      : { dataDir: config.GATEWAY_DATA_DIR === 'memory' ? undefined : config.GATEWAY_DATA_DIR },
    { onError: (err, context) => logger.error({ err }, `store: ${context}`) },
  );
  logger.info({ engine: store.engine }, 'store ready');
  if (config.GATEWAY_BOOTSTRAP_ADMIN_KEY) {
    const key = await store.apiKeys.ensure({
      key: config.GATEWAY_BOOTSTRAP_ADMIN_KEY,
      name: 'bootstrap admin',
      role: 'admin',
    });
    logger.info({ keyId: key.id, prefix: key.prefix }, 'bootstrap admin key registered');
  }

  // 3. HTTP server.
  const gateway = createGatewayApp({ config, store, logger });
  const { app, drain, runner } = gateway;
  gateway.startBackground();
  const server = await startServer(app, { port: config.PORT, host: config.HOST, logger, drain });
  logger.info({ url: server.url }, 'gateway listening');

  // 4. Shutdown: stop accepting, let streams and running investigations finish, then close the store.
  return {
    logger,
    shutdown: async () => {
      const deadlineMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
      await Promise.all([server.shutdown(deadlineMs), runner.drain(deadlineMs)]);
      await gateway.stopBackground();
      await store.close();
    },
  };
});
