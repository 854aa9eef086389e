// Starts real managers with the local backend for tests: quiet logs, port 0, a private sandbox
// root, the reaper left to the test, and the isolation driver under test.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { createLogger, loadConfig, type Logger } from '@foxhound/service-kit';
import { type IsolationDriver } from '../backends/local/isolation';
import { PROBE_SERVER_PATH } from '../backends/local/sandbox-command';
import { ManagerConfigSchema } from '../config/schema';
import { startManager, type ManagerRuntime } from '../server/server';
import { type ContractHarness } from './backend-contract';

export interface LocalHarness extends ContractHarness {
  root: string;
}

/** gVisor's `runsc do` cannot use directories right under /tmp; /var/tmp works for every driver. */
const ROOT_PARENT = '/var/tmp';

export async function localHarness(
  driver: IsolationDriver,
  options: { logger?: Logger; hostEnv?: NodeJS.ProcessEnv } = {},
): Promise<LocalHarness> {
  const root = await mkdtemp(path.join(ROOT_PARENT, `fh-test-${driver}-`));
  const logger = options.logger ?? createLogger({ service: 'sandbox-manager-test', level: 'silent' });
  return {
    backend: 'local',
    root,
    start(env = {}, startOptions = {}): Promise<ManagerRuntime> {
      const config = loadConfig(ManagerConfigSchema, {
        PORT: '0',
        HOST: '127.0.0.1',
        LOCAL_ISOLATION: driver,
        // Cold starts by default: one process per acquisition keeps the suites quick; the warm pool has its own tests.
        LOCAL_WARM_POOL_SIZE: '0',
        LOCAL_SANDBOX_ROOT: root,
        LOCAL_SANDBOX_COMMAND: JSON.stringify([process.execPath, PROBE_SERVER_PATH]),
        SANDBOX_REAP_INTERVAL_SECONDS: '3600',
        SHUTDOWN_TIMEOUT_SECONDS: '5',
        ...env,
      });
      return startManager(config, {
        logger,
        hostEnv: options.hostEnv ?? { PATH: process.env.PATH },
        now: startOptions.now,
      });
    },
    // Local sandboxes die with their manager: nothing to forget.
    reset: async () => undefined,
    close: () => rm(root, { recursive: true, force: true }),
  };
}
