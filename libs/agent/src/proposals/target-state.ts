// What a proposal reads besides its target, and only when its action needs it: a Deployment's
// ReplicaSet history for a rollback, the namespace's pods for a Service selector, its LimitRanges
// and ResourceQuotas for a resources patch.
import { type Action } from '@foxhound/contracts';
import { type Deployment, type KubeObject, type ReplicaSet } from '@foxhound/diagnostics';
import { type ToolContext } from '../tools/context';
import { revisionOf, type TargetState } from './rollback';

export async function targetState(
  action: Action,
  object: KubeObject,
  ctx: ToolContext,
): Promise<TargetState> {
  const namespace = action.namespace;
  switch (action.type) {
    case 'RollbackDeployment':
      return { object, replicaSets: await replicaSetsOf(ctx, object as Deployment) };
    case 'PatchServiceSelector':
      return { object, pods: await ctx.cluster.list('pods', { namespace }) };
    case 'PatchContainerResources': {
      const [limitRanges, quotas] = await Promise.all([
        ctx.cluster.list('limitRanges', { namespace }),
        ctx.cluster.list('resourceQuotas', { namespace }),
      ]);
      return { object, limitRanges, quotas };
    }
    default:
      return { object };
  }
}

async function replicaSetsOf(ctx: ToolContext, d: Deployment): Promise<ReplicaSet[]> {
  const sets = (await ctx.cluster.list('replicaSets', { namespace: d.metadata.namespace })) as ReplicaSet[];
  return sets
    .filter((rs) =>
      rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === d.metadata.name),
    )
    .sort((a, b) => revisionOf(b) - revisionOf(a));
}
