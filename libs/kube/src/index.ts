// @foxhound/kube: Kubernetes access through @kubernetes/client-node. A client over any kubeconfig
// source with a read-only raw GET, and the snapshot collector the diagnostics engine analyzes.
export {
  createKubeClient,
  KubeApiError,
  loadKubeConfig,
  type KubeClient,
  type KubeClientOptions,
  type KubeconfigSource,
  type Query,
} from './client';
export { collectSnapshot, type CollectOptions } from './snapshot';
export {
  AgentSandboxClient,
  AgentSandboxResources,
  WaitTimeoutError,
  type AgentSandboxKind,
  type AgentSandboxKinds,
  type DeleteObjectOptions,
  type ListSelectors,
  type WaitOptions,
  type WaitVerdict,
} from './agent-sandbox';
export {
  claimReadiness,
  describeReadiness,
  orderPodIPs,
  readyCondition,
  sandboxReadiness,
  type Readiness,
} from './agent-sandbox-status';
export { isConflict, isGone, isNotFound, reasonOf, statusCodeOf, toKubeApiError } from './errors';
export {
  ListWatch,
  type ListResultLike,
  type ListWatchOptions,
  type ObjectEvent,
  type WatchedObject,
} from './watch';
export { WatchCache, objectKey, type CacheListener } from './watch-cache';
export { targetDigest } from './target-digest';
