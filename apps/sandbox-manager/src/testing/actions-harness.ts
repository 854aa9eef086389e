// A cluster for the remediation tests: kube-sim with its controllers (workloads, kubelet, quota),
// RBAC on, the quota incident loaded, the per-action ClusterRoles, and the manager's own identity
// with exactly the rights the chart gives it for actions (reads, bindings to the action roles,
// tokens for the writer ServiceAccount, its execution records) and no write verb on any target.
import path from 'node:path';
import { loadKubeConfig } from '@foxhound/kube';
import { defaultControllers, startKubeSim, type KubeSim } from '@foxhound/kube-sim';
import { createLogger, loadConfig } from '@foxhound/service-kit';
import { type KubeConfig } from '@kubernetes/client-node';
import { actionClusterRoles } from '../actions/rbac';
import { ManagerConfigSchema } from '../config/schema';
import { startManager, type ManagerRuntime } from '../server/server';

export const MANAGER_NS = 'foxhound';
export const WRITER_SA = 'foxhound-action-writer';
export const ROLE_PREFIX = 'foxhound-action-';
export const MANAGER_USER = `system:serviceaccount:${MANAGER_NS}:foxhound-sandbox-manager`;
export const QUOTA_SCENARIO = path.resolve(__dirname, '../../../../scenarios/quota-blocks-admission');
const ADMIN_TOKEN = 'admin-token-000000001';
const MANAGER_TOKEN = 'manager-token-00000001';
const RBAC = 'rbac.authorization.k8s.io/v1';

/** The manager's rights for actions, as charts/foxhound/charts/sandbox-manager renders them. */
export function managerActionRbac(prefix = ROLE_PREFIX) {
  const subject = [{ kind: 'ServiceAccount', name: 'foxhound-sandbox-manager', namespace: MANAGER_NS }];
  const roles = actionClusterRoles(prefix).map((r) => r.metadata.name);
  return [
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'foxhound-sandbox-manager-actions' },
      rules: [
        {
          apiGroups: [''],
          resources: [
            'pods',
            'events',
            'resourcequotas',
            'namespaces',
            'services',
            'configmaps',
            'limitranges',
          ],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['rolebindings'],
          verbs: ['create', 'delete'],
        },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          verbs: ['bind'],
          resourceNames: roles,
        },
      ],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'foxhound-sandbox-manager-actions' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'foxhound-sandbox-manager-actions',
      },
      subjects: subject,
    },
    {
      apiVersion: RBAC,
      kind: 'Role',
      metadata: { name: 'foxhound-sandbox-manager-actions', namespace: MANAGER_NS },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'update'] },
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'], resourceNames: [WRITER_SA] },
        {
          apiGroups: [''],
          resources: ['serviceaccounts/token'],
          verbs: ['create'],
          resourceNames: [WRITER_SA],
        },
      ],
    },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'foxhound-sandbox-manager-actions', namespace: MANAGER_NS },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'foxhound-sandbox-manager-actions',
      },
      subjects: subject,
    },
  ];
}

export interface ActionsHarness {
  sim: KubeSim;
  /** The manager's own identity (no write verbs on targets). */
  managerConfig: KubeConfig;
  adminConfig: KubeConfig;
  start(env?: Record<string, string>): Promise<ManagerRuntime>;
  close(): Promise<void>;
}

const resourceOf = (kind: string) =>
  kind === 'ClusterRole'
    ? 'clusterroles.rbac.authorization.k8s.io'
    : kind === 'ClusterRoleBinding'
      ? 'clusterrolebindings.rbac.authorization.k8s.io'
      : kind === 'Role'
        ? 'roles.rbac.authorization.k8s.io'
        : 'rolebindings.rbac.authorization.k8s.io';

export async function actionsHarness(options: { missingImages?: string[] } = {}): Promise<ActionsHarness> {
  const sim = await startKubeSim({
    prometheus: false,
    scenarios: [QUOTA_SCENARIO],
    tokens: [
      { token: ADMIN_TOKEN, user: 'admin', groups: ['system:masters'] },
      { token: MANAGER_TOKEN, user: MANAGER_USER },
    ],
    authorization: 'rbac',
    controllers: defaultControllers({
      workloads: { baseBackoffMs: 10, maxBackoffMs: 200 },
      kubelet: {
        startDelayMs: 1,
        readyDelayMs: 1,
        imagePullBackOffMs: 10,
        missingImages: options.missingImages ?? [],
      },
      agentSandbox: false,
    }),
  });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: MANAGER_NS } });
  sim.store.create('serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: WRITER_SA, namespace: MANAGER_NS },
  });
  for (const object of [...actionClusterRoles(ROLE_PREFIX), ...managerActionRbac()]) {
    sim.store.create(resourceOf(object.kind), object as never);
  }
  const managerConfig = loadKubeConfig({ from: 'object', config: sim.kubeconfig({ token: MANAGER_TOKEN }) });
  const adminConfig = loadKubeConfig({ from: 'object', config: sim.kubeconfig({ token: ADMIN_TOKEN }) });
  const logger = createLogger({ service: 'sandbox-manager-test', level: 'silent' });
  const running = new Set<ManagerRuntime>();
  return {
    sim,
    managerConfig,
    adminConfig,
    async start(env = {}) {
      const config = loadConfig(ManagerConfigSchema, {
        PORT: '0',
        HOST: '127.0.0.1',
        SANDBOX_BACKEND: 'local',
        LOCAL_ISOLATION: 'none',
        LOCAL_WARM_POOL_SIZE: '0',
        SHUTDOWN_TIMEOUT_SECONDS: '5',
        ACTIONS_ENABLED: 'true',
        ACTIONS_WRITER_NAMESPACE: MANAGER_NS,
        ACTIONS_OBSERVE_INTERVAL_MS: '50',
        ACTIONS_RECOVERY_WINDOW_SECONDS: '60',
        ACTIONS_LATE_RECOVERY_SECONDS: '120',
        ...env,
      });
      const manager = await startManager(config, { logger, kubeConfig: managerConfig, hostEnv: {} });
      running.add(manager);
      const shutdown = manager.shutdown;
      return {
        ...manager,
        shutdown: async () => {
          running.delete(manager);
          await shutdown();
        },
      };
    },
    async close() {
      await Promise.all([...running].map((m) => m.shutdown()));
      await sim.close();
    },
  };
}
