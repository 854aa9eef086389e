// Wires the manager from a validated config, in order: metrics, backend, lifecycle service,
// reaper, HTTP app, server. Shutdown runs the same steps backwards. Tests start the whole thing
// from an env record through this function, exactly as main.ts does.
import { type KubeConfig } from '@kubernetes/client-node';
import { type Express } from 'express';
import {
  createServiceApp,
  createServiceMetrics,
  startServer,
  type Logger,
  type RunningServer,
  type ServiceMetrics,
} from '@foxhound/service-kit';
import { actionRoutes } from '../actions/routes';
import { startActions } from '../actions/start-actions';
import { type ActionExecutor } from '../actions/executor';
import { type SandboxBackend } from '../backends/backend';
import { createBackend } from '../backends/create-backend';
import { type ManagerConfig } from '../config/schema';
import { SandboxService } from '../lifecycle/sandbox-service';
import { createManagerMetrics, type ManagerMetrics } from '../observability/metrics';
import { startReaper, type Reaper } from '../reconcile/reaper';
import { sandboxRoutes } from './routes';

export interface ManagerRuntime {
  url: string;
  app: Express;
  backend: SandboxBackend;
  service: SandboxService;
  reaper: Reaper;
  /** Remediation actions (ACTIONS_ENABLED), else undefined. */
  actions?: ActionExecutor;
  metrics: ServiceMetrics & { manager: ManagerMetrics };
  /** Graceful stop: drain HTTP, stop the reaper, close the backend. Safe to call twice. */
  shutdown(): Promise<void>;
}

export interface StartManagerOptions {
  logger: Logger;
  /** Environment sandboxes inherit allow-listed variables from; process.env by default. */
  hostEnv?: NodeJS.ProcessEnv;
  /** The cluster for the Kubernetes backend (tests pass kube-sim's); default from the environment. */
  kubeConfig?: KubeConfig;
  now?: () => Date;
}

export async function startManager(
  config: ManagerConfig,
  options: StartManagerOptions,
): Promise<ManagerRuntime> {
  const { logger } = options;

  // 1. Metrics. The gauges read the backend at scrape time.
  const serviceMetrics = createServiceMetrics('sandbox-manager');
  const created: { backend?: SandboxBackend } = {};
  const managerMetrics = createManagerMetrics(serviceMetrics.registry, serviceMetrics.prefix, {
    backend: config.SANDBOX_BACKEND,
    counts: () => created.backend?.counts() ?? { active: 0, warm: 0 },
  });

  // 2. Backend: start-up recovers state (the cluster's objects, or a clean local slate).
  const backend = await createBackend(config, {
    logger,
    metrics: managerMetrics,
    hostEnv: options.hostEnv ?? process.env,
    kubeConfig: options.kubeConfig,
    now: options.now,
  });
  created.backend = backend;
  await backend.start();

  // 3. Lifecycle service and reaper.
  const service = new SandboxService({
    backend,
    logger,
    metrics: managerMetrics,
    defaultTtlSeconds: config.SANDBOX_DEFAULT_TTL_SECONDS,
    maxTotal: config.SANDBOX_MAX_TOTAL,
    maxPerOwner: config.SANDBOX_MAX_PER_OWNER,
    now: options.now,
  });
  const reaper = startReaper({
    backend,
    intervalMs: config.SANDBOX_REAP_INTERVAL_SECONDS * 1000,
    logger,
    metrics: managerMetrics,
    now: options.now,
  });

  // 4. Remediation actions, when enabled (they resume what a previous manager left unfinished).
  const actions = config.ACTIONS_ENABLED
    ? await startActions(config, { logger, kubeConfig: options.kubeConfig, now: options.now })
    : undefined;

  // 5. HTTP.
  const { app, drain } = createServiceApp({
    service: 'sandbox-manager',
    logger,
    metrics: serviceMetrics,
    authToken: config.MANAGER_AUTH_TOKEN,
    readiness: [{ name: `${backend.name} backend`, check: () => backend.checkReady() }],
    routes: (express) => express.use(sandboxRoutes(service)).use(actionRoutes(actions)),
  });
  if (config.MANAGER_AUTH_TOKEN === undefined) {
    logger.warn('MANAGER_AUTH_TOKEN is not set: the sandbox API accepts unauthenticated callers');
  }
  const server: RunningServer = await startServer(app, {
    port: config.PORT,
    host: config.HOST,
    logger,
    drain,
  });
  logger.info({ url: server.url, backend: backend.name }, 'sandbox-manager listening');

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    app,
    backend,
    service,
    reaper,
    actions,
    metrics: { ...serviceMetrics, manager: managerMetrics },
    shutdown: () =>
      (stopping ??= (async () => {
        await server.shutdown(config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
        await reaper.stop();
        await actions?.stop();
        await backend.close();
      })()),
  };
}
