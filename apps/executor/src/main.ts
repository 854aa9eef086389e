// Executor entry point: the runtime inside each sandbox. Loads config (exit 2 naming a bad
// variable), starts the agent and the HTTP server, and on SIGTERM interrupts running turns (each
// stream still ends with its `result`) and drains.
import { createLogger, loadConfig, runMain } from '@foxhound/service-kit';
import { ExecutorConfigSchema } from './config/schema';
import { startExecutor } from './run';

void runMain(async () => {
  const config = loadConfig(ExecutorConfigSchema);
  const logger = createLogger({ service: 'executor', level: config.LOG_LEVEL });
  const executor = await startExecutor(config, logger);
  return { logger, shutdown: () => executor.shutdown() };
});
