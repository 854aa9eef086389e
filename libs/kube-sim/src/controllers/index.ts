// The simulated control plane, opt-in: `startKubeSim({ controllers: defaultControllers() })`.
// Each controller is a Controller (controller.ts) started after scenarios load; they react only
// to changes made through the API, so a loaded scenario stays as captured until acted upon.
import { startAgentSandboxController, type AgentSandboxControllerOptions } from './agent-sandbox';
import { type Controller } from './controller';
import { endpointsController, type EndpointsControllerOptions } from './endpoints/controller';
import { kubelet, type KubeletOptions } from './kubelet/kubelet';
import { quotaController, type QuotaControllerOptions } from './quota/controller';
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
export type { QuotaControllerOptions } from './quota/controller';
export type { WorkloadControllerOptions } from './workloads/controller';
export { deploymentController, endpointsController, kubelet, quotaController, replicaSetController };

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
  /** The agent-sandbox controller's options, or false to leave it out. */
  agentSandbox?: Omit<AgentSandboxControllerOptions, 'store'> | false;
}

/** Quota admission, ReplicaSet, Deployment, kubelet, endpoints and agent-sandbox controllers, in start order. */
export function defaultControllers(options: DefaultControllerOptions = {}): Controller[] {
  return [
    quotaController(options.quota),
    replicaSetController(options.workloads),
    deploymentController(options.workloads),
    kubelet(options.kubelet),
    endpointsController(options.endpoints),
    ...(options.agentSandbox === false ? [] : [agentSandboxController(options.agentSandbox)]),
  ];
}
