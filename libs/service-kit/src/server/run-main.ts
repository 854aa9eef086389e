// The shape of every service's main(): load config (exit 2 naming the bad variable), run, and on
// SIGTERM/SIGINT shut down gracefully within the configured deadline (exit 0); a second signal or a
// runtime failure exits 1.
import { ConfigError } from '../config/load-config';
import { type Logger } from '../observability/logger';

export interface Service {
  logger: Logger;
  /** Graceful shutdown of servers, then of clients and stores. */
  shutdown(): Promise<void>;
}

/** Runs `start` and wires signals. Writes config errors to stderr because no logger exists yet. */
export async function runMain(start: () => Promise<Service>): Promise<void> {
  let service: Service;
  try {
    service = await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `startup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      service.logger.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stopping = true;
    service.logger.info({ signal }, 'shutting down');
    service.shutdown().then(
      () => {
        service.logger.info('stopped');
        // Exit once the last lines have left: on a pipe, an immediate exit would drop them.
        service.logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        service.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
