// Starts real managers with the Kubernetes backend against kube-sim and its agent-sandbox
// controller: a namespace, the Foxhound SandboxTemplate and a SandboxWarmPool, and sandbox pods
// that are real probe-server processes on 127.0.0.N (or simulated pods with a start delay).
import net from 'node:net';
import { loadKubeConfig } from '@foxhound/kube';
import {
  loopbackProcessRuntime,
  simulatedPodRuntime,
  startAgentSandboxController,
  startKubeSim,
  type AgentSandboxController,
  type KubeSim,
  type KubeSimOptions,
  type PodRuntime,
} from '@foxhound/kube-sim';
import { createLogger, loadConfig, type Logger } from '@foxhound/service-kit';
import { type KubeConfig } from '@kubernetes/client-node';
import { executorSandboxTemplate, executorWarmPool } from '../backends/kubernetes/executor-template';
import { PROBE_SERVER_PATH } from '../backends/local/sandbox-command';
import { ManagerConfigSchema } from '../config/schema';
import { startManager, type ManagerRuntime } from '../server/server';
import { type ContractHarness } from './backend-contract';

export const NAMESPACE = 'foxhound-sandboxes';
export const TEMPLATE = 'foxhound-executor';
export const POOL = 'foxhound-executor';
export const CLAIMS = 'sandboxclaims.extensions.agents.x-k8s.io';
export const SANDBOXES = 'sandboxes.agents.x-k8s.io';
export const WARM_POOLS = 'sandboxwarmpools.extensions.agents.x-k8s.io';

export interface KubeHarnessOptions {
  /** Warm pool size (0: cold starts only). */
  replicas?: number;
  /** Pods as real probe-server processes (default), or simulated with this start delay. */
  simulatedStartDelayMs?: number;
  /** kube-sim options (tokens and RBAC for least-privilege tests). */
  sim?: KubeSimOptions;
  /** The manager's kubeconfig user (a token holder in `sim.tokens`); default: admin. */
  user?: string;
  logger?: Logger;
}

export interface KubeHarness extends ContractHarness {
  sim: KubeSim;
  kubeConfig: KubeConfig;
  /** The port sandbox pods listen on (SANDBOX_PORT). */
  port: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function kubeHarness(options: KubeHarnessOptions = {}): Promise<KubeHarness> {
  const sim = await startKubeSim({ prometheus: false, ...options.sim });
  const port = await freePort();
  const runtime: PodRuntime =
    options.simulatedStartDelayMs !== undefined
      ? simulatedPodRuntime({ startDelayMs: options.simulatedStartDelayMs })
      : loopbackProcessRuntime({
          command: [process.execPath, PROBE_SERVER_PATH],
          port,
          readyTimeoutMs: 20_000,
        });
  const controller: AgentSandboxController = startAgentSandboxController({
    store: sim.store,
    runtime,
    warmCandidateGraceMs: 300,
  });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const template = executorSandboxTemplate(TEMPLATE, NAMESPACE, {
    image: 'foxhound/executor:test',
    port,
    serviceAccountName: 'foxhound-executor',
    cpuLimit: '1',
    memoryLimit: '1Gi',
    ephemeralStorageLimit: '2Gi',
  });
  sim.store.create('sandboxtemplates.extensions.agents.x-k8s.io', template as never);
  sim.store.create(WARM_POOLS, executorWarmPool(POOL, NAMESPACE, TEMPLATE, options.replicas ?? 1) as never);
  const kubeConfig = loadKubeConfig({ from: 'object', config: sim.kubeconfig({ user: options.user }) });
  const logger = options.logger ?? createLogger({ service: 'sandbox-manager-test', level: 'silent' });

  return {
    backend: 'kubernetes',
    sim,
    kubeConfig,
    port,
    start(env = {}, startOptions = {}): Promise<ManagerRuntime> {
      const config = loadConfig(ManagerConfigSchema, {
        PORT: '0',
        HOST: '127.0.0.1',
        SANDBOX_BACKEND: 'kubernetes',
        SANDBOX_NAMESPACE: NAMESPACE,
        SANDBOX_TEMPLATE: TEMPLATE,
        SANDBOX_WARM_POOL: POOL,
        SANDBOX_PORT: String(port),
        SANDBOX_READY_TIMEOUT_SECONDS: '20',
        SANDBOX_REAP_INTERVAL_SECONDS: '3600',
        SHUTDOWN_TIMEOUT_SECONDS: '5',
        ...env,
      });
      return startManager(config, { logger, kubeConfig, now: startOptions.now });
    },
    /** Deletes every claim and bare sandbox the tests made, as if the cluster were fresh. */
    async reset() {
      for (const resource of [CLAIMS, SANDBOXES]) {
        const managed = sim.store.list(resource, {
          namespace: NAMESPACE,
          labelSelector: 'app.kubernetes.io/managed-by',
        }).items;
        for (const item of managed) sim.store.delete(resource, NAMESPACE, item.metadata.name);
      }
    },
    async close() {
      await controller.stop();
      await sim.close();
    },
  };
}
