// The agent-sandbox controller simulation (kubernetes-sigs/agent-sandbox v1beta1) for kube-sim:
// Sandbox → Pod (+ headless Service), SandboxWarmPool → ready pool sandboxes, SandboxClaim →
// warm adoption or cold start, shutdown times, and pod runtimes (simulated, or real processes on
// loopback addresses).
export {
  startAgentSandboxController,
  type AgentSandboxController,
  type AgentSandboxControllerOptions,
} from './controller';
export { simulatedPodRuntime, type PodRuntime, type SimulatedRuntimeOptions } from './pod-runtime';
export { loopbackProcessRuntime, type LoopbackProcessRuntimeOptions } from './loopback-runtime';
export { fnv32a } from './meta';
