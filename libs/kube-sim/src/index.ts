// @foxhound/kube-sim: a Kubernetes API server simulation over real HTTP (discovery, CRUD, list
// with selectors and pagination, watch with bookmarks and 410s, patch kinds, status and scale,
// pod logs, RBAC), a scenario loader, and a Prometheus-compatible endpoint over scenario metrics.
// Tests start it in-process with startKubeSim(); `make demo` runs it through the CLI.
export { startKubeSim, type KubeSim, type KubeSimOptions, type RequestLogEntry } from './sim';
export {
  fnv32a,
  loopbackProcessRuntime,
  simulatedPodRuntime,
  startAgentSandboxController,
  type AgentSandboxController,
  type AgentSandboxControllerOptions,
  type LoopbackProcessRuntimeOptions,
  type PodRuntime,
  type SimulatedRuntimeOptions,
} from './controllers/agent-sandbox';
export { type KubeconfigObject, type KubeconfigOptions } from './kubeconfig';
export {
  admissionController,
  agentSandboxController,
  daemonSetController,
  defaultControllers,
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
  FAIL_IMAGE_ANNOTATION,
  RUNTIME_MODE,
  RUNTIME_MODE_ANNOTATION,
  type Controller,
  type ControllerHost,
  type DaemonSetControllerOptions,
  type DefaultControllerOptions,
  type EndpointsControllerOptions,
  type HpaControllerOptions,
  type JobControllerOptions,
  type KubeletOptions,
  type KubeletPodRuntime,
  type PodMetricsSource,
  type QuotaControllerOptions,
  type ServiceAccountControllerOptions,
  type StatefulSetControllerOptions,
  type StorageControllerOptions,
  type WorkloadControllerOptions,
} from './controllers';
export { KubeStore } from './store';
export type {
  AdmissionHook,
  AdmissionOperation,
  AdmissionRequest,
  DeleteOptions,
  DeleteResult,
  ListOptions,
  ListResult,
  PropagationPolicy,
  ResourceRef,
  StoreEvent,
  StoreListener,
  StoreWatch,
  UpdateOptions,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './store';
export { ResourceRegistry } from './api/registry';
export { BUILTIN_RESOURCES, apiVersionOf, type ResourceType, type Verb } from './api/resources';
export { StatusError, errors, type StatusBody, type StatusReason } from './api/status';
export {
  type AuthorizationAttributes,
  type AuthorizationMode,
  type AuthorizeFunction,
} from './auth/authorizer';
export { type TokenEntry } from './auth/authn';
export { LogStore, type ContainerLogs } from './logs/log-store';
export { MetricStore, type Series, type Sample } from './metrics/metric-store';
export {
  applyScenario,
  findScenarioDirs,
  loadManifestFile,
  readScenario,
  ScenarioError,
  type LoadedScenario,
  type ScenarioContent,
} from './scenario/loader';
export { fromStructured, matchesLabels, parseLabelSelector, type LabelSelector } from './selectors/labels';
export { formatTime } from './store/meta';
export type { KubeObject, ObjectMeta, OwnerReference, StoredObject, UserInfo } from './types';
