// Builds the configured backend. For Kubernetes: the client and the mode (claim or bare sandbox).
// For the local backend this is where the isolation driver is
// chosen (strongest that works, or exactly the one asked for), cgroup support is detected, and the
// sandbox identity is dropped from root; each choice is logged once, loudly when it weakens safety.
import { availableParallelism } from 'node:os';
import { AgentSandboxClient, loadKubeConfig } from '@foxhound/kube';
import { type Logger } from '@foxhound/service-kit';
import { type KubeConfig } from '@kubernetes/client-node';
import { type ManagerConfig } from '../config/schema';
import { type ManagerMetrics } from '../observability/metrics';
import { type SandboxBackend } from './backend';
import { KubernetesBackend } from './kubernetes/kubernetes-backend';
import { claimMode, sandboxMode } from './kubernetes/modes';
import { Cgroups } from './local/cgroups';
import { probeDriver, resolveIsolation } from './local/isolation';
import { LocalBackend } from './local/local-backend';

export interface BackendDeps {
  logger: Logger;
  metrics: ManagerMetrics;
  /** The manager's environment, from which sandboxes get their allow-listed variables. */
  hostEnv: NodeJS.ProcessEnv;
  /** Kubernetes backend: the cluster to use; default KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeConfig?: KubeConfig;
  now?: () => Date;
}

export async function createBackend(config: ManagerConfig, deps: BackendDeps): Promise<SandboxBackend> {
  return config.SANDBOX_BACKEND === 'kubernetes'
    ? createKubernetesBackend(config, deps)
    : createLocalBackend(config, deps);
}

function createKubernetesBackend(config: ManagerConfig, deps: BackendDeps): SandboxBackend {
  const client = new AgentSandboxClient(deps.kubeConfig ?? loadKubeConfig({ from: 'default' }));
  const common = {
    client,
    namespace: config.SANDBOX_NAMESPACE,
    port: config.SANDBOX_PORT,
    readyTimeoutMs: config.SANDBOX_READY_TIMEOUT_SECONDS * 1000,
    reapGraceSeconds: config.SANDBOX_REAP_GRACE_SECONDS,
    runtimeClass: config.SANDBOX_RUNTIME_CLASS,
    logger: deps.logger,
    metrics: deps.metrics,
    now: deps.now,
  };
  deps.logger.info(
    {
      namespace: config.SANDBOX_NAMESPACE,
      mode: config.SANDBOX_MODE,
      ...(config.SANDBOX_MODE === 'claim'
        ? {
            warmPool: config.SANDBOX_WARM_POOL,
            adaptive:
              config.SANDBOX_WARM_POOL_MAX > 0
                ? { floor: config.SANDBOX_WARM_POOL_MIN, ceiling: config.SANDBOX_WARM_POOL_MAX }
                : 'off',
          }
        : { image: config.SANDBOX_IMAGE }),
    },
    'kubernetes sandbox backend configured',
  );
  if (config.SANDBOX_MODE === 'claim') {
    return new KubernetesBackend({
      ...common,
      mode: claimMode(config.SANDBOX_WARM_POOL),
      warmPool: config.SANDBOX_WARM_POOL,
      ...(config.SANDBOX_WARM_POOL_MAX > 0
        ? { adaptivePool: { floor: config.SANDBOX_WARM_POOL_MIN, ceiling: config.SANDBOX_WARM_POOL_MAX } }
        : {}),
    });
  }
  return new KubernetesBackend({
    ...common,
    mode: sandboxMode({
      image: config.SANDBOX_IMAGE ?? '',
      port: config.SANDBOX_PORT,
      runtimeClassName: config.SANDBOX_RUNTIME_CLASS,
      serviceAccountName: config.SANDBOX_SERVICE_ACCOUNT,
      cpuLimit: config.SANDBOX_CPU_LIMIT,
      memoryLimit: config.SANDBOX_MEMORY_LIMIT,
      ephemeralStorageLimit: config.SANDBOX_EPHEMERAL_STORAGE_LIMIT,
    }),
  });
}

async function createLocalBackend(config: ManagerConfig, deps: BackendDeps): Promise<LocalBackend> {
  const { logger } = deps;
  const runAs =
    process.getuid?.() === 0 ? { uid: config.LOCAL_SANDBOX_UID, gid: config.LOCAL_SANDBOX_GID } : undefined;
  const { driver, rejected } = await resolveIsolation(config.LOCAL_ISOLATION, (candidate) =>
    probeDriver(candidate, runAs ?? {}),
  );
  for (const result of rejected) {
    logger.info({ driver: result.driver, reason: result.reason }, 'isolation driver not usable here');
  }
  if (driver === 'none') {
    logger.warn(
      'LOCAL SANDBOXES RUN WITHOUT ISOLATION (LOCAL_ISOLATION resolved to none): sandbox programs can read and ' +
        'write whatever the sandbox user can and use the network freely. Install bubblewrap or gVisor (runsc).',
    );
  }
  const startConcurrency = config.LOCAL_START_CONCURRENCY || availableParallelism();
  const cgroups = await Cgroups.open();
  if (typeof cgroups === 'string') {
    logger.warn(
      { reason: cgroups },
      'cgroups are not writable: LOCAL_MEMORY_MB, LOCAL_CPU_PERCENT and LOCAL_PIDS_MAX are NOT enforced; ' +
        'only the V8 heap cap and LOCAL_MAX_LIFETIME_SECONDS apply',
    );
  }
  logger.info(
    {
      isolation: driver,
      cgroups: typeof cgroups === 'string' ? 'unavailable' : `v${cgroups.version}`,
      runAs: runAs ?? 'manager user',
      command: config.LOCAL_SANDBOX_COMMAND,
      warmPool: { floor: config.LOCAL_WARM_POOL_SIZE, ceiling: config.LOCAL_WARM_POOL_MAX },
      startConcurrency,
      queue: { max: config.SANDBOX_QUEUE_MAX, waitSeconds: config.SANDBOX_QUEUE_WAIT_SECONDS },
    },
    'local sandbox backend configured',
  );
  return new LocalBackend({
    namespace: config.SANDBOX_NAMESPACE,
    driver,
    command: config.LOCAL_SANDBOX_COMMAND,
    warmPoolSize: config.LOCAL_WARM_POOL_SIZE,
    warmPoolMax: config.LOCAL_WARM_POOL_MAX,
    startConcurrency,
    queueMax: config.SANDBOX_QUEUE_MAX,
    queueWaitMs: config.SANDBOX_QUEUE_WAIT_SECONDS * 1000,
    readyTimeoutMs: config.SANDBOX_READY_TIMEOUT_SECONDS * 1000,
    memoryMb: config.LOCAL_MEMORY_MB,
    cpuPercent: config.LOCAL_CPU_PERCENT,
    pidsMax: config.LOCAL_PIDS_MAX,
    maxLifetimeSeconds: config.LOCAL_MAX_LIFETIME_SECONDS,
    root: config.LOCAL_SANDBOX_ROOT,
    cgroups: typeof cgroups === 'string' ? undefined : cgroups,
    runAs,
    hostEnv: deps.hostEnv,
    logger,
    metrics: deps.metrics,
    now: deps.now,
  });
}
