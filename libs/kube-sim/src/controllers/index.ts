// The simulated control plane, opt-in: `startKubeSim({ controllers: defaultControllers() })`.
// Each controller is a Controller (controller.ts) started after scenarios load; they react only
// to changes made through the API, so a loaded scenario stays as captured until acted upon.
import { startAgentSandboxController, type AgentSandboxControllerOptions } from './agent-sandbox';
import { admissionController } from './admission/controller';
import { type Controller } from './controller';
import { endpointsController, type EndpointsControllerOptions } from './endpoints/controller';
import { kubelet, type KubeletOptions } from './kubelet/kubelet';
import { quotaController, type QuotaControllerOptions } from './quota/controller';
import { serviceAccountController, type ServiceAccountControllerOptions } from './serviceaccounts/controller';
import { storageController, type StorageControllerOptions } from './storage/controller';
import {
  deploymentController,
  replicaSetController,
  type WorkloadControllerOptions,
} from './workloads/controller';

export type { Controller, ControllerHost } from './controller';
export type { EndpointsControllerOptions } from './endpoints/controller';
export type { KubeletOptions } from './kubelet/kubelet';
export type { KubeletPodRuntime } from './kubelet/pod-network';
export { FAIL_IMAGE_ANNOTATION } from './kubelet/images';
export { RUNTIME_MODE, RUNTIME_MODE_ANNOTATION } from './kubelet/node';
export type { QuotaControllerOptions } from './quota/controller';
export type { ServiceAccountControllerOptions } from './serviceaccounts/controller';
export type { StorageControllerOptions } from './storage/controller';
export type { WorkloadControllerOptions } from './workloads/controller';
export {
  admissionController,
  deploymentController,
  endpointsController,
  kubelet,
  quotaController,
  replicaSetController,
  serviceAccountController,
  storageController,
};

/** The agent-sandbox controller (Sandbox, SandboxWarmPool, SandboxClaim) as a Controller. */
export function agentSandboxController(
  options: Omit<AgentSandboxControllerOptions, 'store'> = {},
): Controller {
  let running: { stop(): Promise<void> } | undefined;
  return {
    name: 'agent-sandbox-controller',
    start({ store }) {
      running = startAgentSandboxController({ ...options, store });
    },
    async stop() {
      await running?.stop();
      running = undefined;
    },
  };
}

export interface DefaultControllerOptions {
  workloads?: WorkloadControllerOptions;
  kubelet?: KubeletOptions;
  quota?: QuotaControllerOptions;
  endpoints?: EndpointsControllerOptions;
  serviceAccounts?: ServiceAccountControllerOptions;
  storage?: StorageControllerOptions;
  /** The agent-sandbox controller's options, or false to leave it out. */
  agentSandbox?: Omit<AgentSandboxControllerOptions, 'store'> | false;
}

/**
 * In start order: ServiceAccounts, admission (resource validation, ServiceAccount), quota
 * (LimitRanger, ResourceQuota), storage (default class, PersistentVolumes), ReplicaSet,
 * Deployment, kubelet, endpoints and agent-sandbox.
 */
export function defaultControllers(options: DefaultControllerOptions = {}): Controller[] {
  return [
    serviceAccountController(options.serviceAccounts),
    admissionController(),
    quotaController(options.quota),
    storageController(options.storage),
    replicaSetController(options.workloads),
    deploymentController(options.workloads),
    kubelet(options.kubelet),
    endpointsController(options.endpoints),
    ...(options.agentSandbox === false ? [] : [agentSandboxController(options.agentSandbox)]),
  ];
}
