// sandbox-manager entry point: validate the environment (exit 2 naming the bad variable), then
// start the manager and hand it to runMain for signal handling and graceful shutdown.
import { createLogger, loadConfig, runMain } from '@foxhound/service-kit';
import { ManagerConfigSchema } from './config/schema';
import { startManager } from './server/server';

void runMain(async () => {
  const config = loadConfig(ManagerConfigSchema);
  const logger = createLogger({ service: 'sandbox-manager', level: config.LOG_LEVEL });
  const manager = await startManager(config, { logger });
  return { logger, shutdown: () => manager.shutdown() };
});
