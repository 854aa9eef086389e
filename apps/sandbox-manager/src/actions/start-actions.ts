// Builds the action executor from the config (only with ACTIONS_ENABLED): the safety policy, the
// scoped writer identity, the execution records in the manager's namespace, and picks up what a
// previous manager left unfinished.
import { loadKubeConfig } from '@foxhound/kube';
import { type Logger } from '@foxhound/service-kit';
import { type KubeConfig } from '@kubernetes/client-node';
import { type ManagerConfig } from '../config/schema';
import { ActionExecutor } from './executor';
import { ExecutionRecords } from './records';
import { safetyPolicy } from './safety';
import { ScopedIdentity } from './scoped-identity';

export interface StartActionsOptions {
  logger: Logger;
  /** The manager's own identity; default KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeConfig?: KubeConfig;
  now?: () => Date;
}

export async function startActions(
  config: ManagerConfig,
  options: StartActionsOptions,
): Promise<ActionExecutor> {
  const kubeConfig = options.kubeConfig ?? loadKubeConfig({ from: 'default' });
  const logger = options.logger.child({ component: 'actions' });
  const executor = new ActionExecutor({
    kubeConfig,
    policy: safetyPolicy(config),
    identity: new ScopedIdentity({
      kubeConfig,
      namespace: config.ACTIONS_WRITER_NAMESPACE,
      serviceAccount: config.ACTIONS_WRITER_SERVICE_ACCOUNT,
      clusterRolePrefix: config.ACTIONS_CLUSTER_ROLE_PREFIX,
      logger,
    }),
    records: new ExecutionRecords(kubeConfig, config.ACTIONS_WRITER_NAMESPACE),
    recoveryWindowMs: config.ACTIONS_RECOVERY_WINDOW_SECONDS * 1000,
    lateRecoveryWindowMs: config.ACTIONS_LATE_RECOVERY_SECONDS * 1000,
    observeIntervalMs: config.ACTIONS_OBSERVE_INTERVAL_MS,
    logger,
    now: options.now,
  });
  await executor.resume();
  logger.info(
    {
      writer: `${config.ACTIONS_WRITER_NAMESPACE}/${config.ACTIONS_WRITER_SERVICE_ACCOUNT}`,
      protectedNamespaces: [...safetyPolicy(config).protectedNamespaces],
    },
    'remediation actions enabled',
  );
  return executor;
}
