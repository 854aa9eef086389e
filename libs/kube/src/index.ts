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
