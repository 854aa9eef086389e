// Recent changes: rollouts, ReplicaSet history, scaling and config edits, read from the cluster.
import { type Toolset } from '../registry';
import { whatChanged } from './what-changed';

export function changesToolset(): Toolset {
  return {
    name: 'changes/kubernetes',
    description: 'Rollouts and ReplicaSet history, scaling and ConfigMap edits, with pod-template diffs.',
    tools: [whatChanged],
  };
}
