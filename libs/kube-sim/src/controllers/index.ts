// The simulated control plane, opt-in: `startKubeSim({ controllers: defaultControllers() })`.
// Each controller is a Controller (controller.ts) started after scenarios load; they react only
// to changes made through the API, so a loaded scenario stays as captured until acted upon.
import { startAgentSandboxController, type AgentSandboxControllerOptions } from './agent-sandbox';
import { admissionController } from './admission/controller';
import { type Controller } from './controller';
import { daemonSetController, type DaemonSetControllerOptions } from './daemonsets/controller';
import { endpointsController, type EndpointsControllerOptions } from './endpoints/controller';
import { hpaController, type HpaControllerOptions } from './hpa/controller';
import { jobController, type JobControllerOptions } from './jobs/controller';
import { kubelet, type KubeletOptions } from './kubelet/kubelet';
import { quotaController, type QuotaControllerOptions } from './quota/controller';
import { serviceAccountController, type ServiceAccountControllerOptions } from './serviceaccounts/controller';
import { statefulSetController, type StatefulSetControllerOptions } from './statefulsets/controller';
import { storageController, type StorageControllerOptions } from './storage/controller';
import {
  deploymentController,
  replicaSetController,
  type WorkloadControllerOptions,
} from './workloads/controller';

export type { Controller, ControllerHost } from './controller';
export type { DaemonSetControllerOptions } from './daemonsets/controller';
export type { EndpointsControllerOptions } from './endpoints/controller';
export type { HpaControllerOptions } from './hpa/controller';
export type { PodMetricsSource, ContainerUsage } from './hpa/metrics';
export type { JobControllerOptions } from './jobs/controller';
export type { KubeletOptions } from './kubelet/kubelet';
export type { KubeletPodRuntime } from './kubelet/pod-network';
export { FAIL_IMAGE_ANNOTATION } from './kubelet/images';
export { RUNTIME_MODE, RUNTIME_MODE_ANNOTATION } from './kubelet/node';
export type { QuotaControllerOptions } from './quota/controller';
export type { ServiceAccountControllerOptions } from './serviceaccounts/controller';
export type { StatefulSetControllerOptions } from './statefulsets/controller';
export type { StorageControllerOptions } from './storage/controller';
export type { WorkloadControllerOptions } from './workloads/controller';
export {
  admissionController,
  daemonSetController,
  deploymentController,
  endpointsController,
  hpaController,
  jobController,
  kubelet,
  quotaController,
  replicaSetController,
  serviceAccountController,
  statefulSetController,
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
  jobs?: JobControllerOptions;
  statefulSets?: StatefulSetControllerOptions;
  daemonSets?: DaemonSetControllerOptions;
  hpa?: HpaControllerOptions;
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
 * Deployment, StatefulSet, DaemonSet, Job, HorizontalPodAutoscaler, kubelet, endpoints and agent-sandbox.
 */
export function defaultControllers(options: DefaultControllerOptions = {}): Controller[] {
  return [
    serviceAccountController(options.serviceAccounts),
    admissionController(),
    quotaController(options.quota),
    storageController(options.storage),
    replicaSetController(options.workloads),
    deploymentController(options.workloads),
    statefulSetController(options.statefulSets),
    daemonSetController(options.daemonSets),
    jobController(options.jobs),
    hpaController(options.hpa),
    kubelet(options.kubelet),
    endpointsController(options.endpoints),
    ...(options.agentSandbox === false ? [] : [agentSandboxController(options.agentSandbox)]),
  ];
}
