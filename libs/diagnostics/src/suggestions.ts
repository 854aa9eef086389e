// Typed remediation suggestions with risk and rollback computed from the target's current state:
// the revision to roll back to and the one to return to, the image to patch and the one it
// replaces, the quota manifest a deletion would need to restore. Objects in protected namespaces
// get no suggestion; the executor refuses them again at proposal and execution time.
import { type SuggestedAction } from '@foxhound/contracts';
import { PROTECTED_NAMESPACES, type Lookup } from './lookup';
import { type Deployment, type Pod, type ResourceQuota } from './snapshot';
import { type Rollout } from './causes/changes';

function allowed(namespace: string | undefined): namespace is string {
  return !!namespace && !PROTECTED_NAMESPACES.has(namespace);
}

function readyReplicas(d: Deployment): number {
  return d.status?.readyReplicas ?? 0;
}

export function suggestRollback(d: Deployment, rollout: Rollout, why: string): SuggestedAction | undefined {
  const { namespace, name } = d.metadata;
  if (!allowed(namespace) || !rollout.previous || !rollout.previousRevision) return undefined;
  const healthyNow = readyReplicas(d) >= (d.spec.replicas ?? 1) && (d.spec.replicas ?? 1) > 0;
  return {
    action: { type: 'RollbackDeployment', namespace, name, toRevision: rollout.previousRevision },
    summary: `Roll Deployment ${namespace}/${name} back to revision ${rollout.previousRevision} (ReplicaSet ${rollout.previous.metadata.name}): ${why}`,
    expectedEffect: `Pods run the revision ${rollout.previousRevision} template again and become ready; the change in revision ${rollout.currentRevision} is undone.`,
    // Rolling back replaces pods; when none of the new ones serve, nothing that works is lost.
    risk: healthyNow ? 'medium' : 'low',
    rollback: {
      description: `Roll forward to the template of revision ${rollout.currentRevision} (ReplicaSet ${rollout.current.metadata.name}) again.`,
      action: { type: 'RollbackDeployment', namespace, name, toRevision: rollout.currentRevision },
    },
  };
}

export function suggestImagePatch(
  d: Deployment,
  container: string,
  image: string,
  currentImage: string,
  why: string,
  previouslyRan: boolean,
): SuggestedAction | undefined {
  const { namespace, name } = d.metadata;
  if (!allowed(namespace)) return undefined;
  return {
    action: { type: 'PatchDeploymentImage', namespace, name, container, image },
    summary: `Set container ${container} of Deployment ${namespace}/${name} to ${image}: ${why}`,
    expectedEffect: `The kubelet pulls ${image}, which exists, and the new pods start.`,
    risk: previouslyRan ? 'low' : 'medium',
    rollback: {
      description: `Set container ${container} back to ${currentImage}.`,
      action: { type: 'PatchDeploymentImage', namespace, name, container, image: currentImage },
    },
  };
}

/** The quota as it could be re-created: spec plus identifying metadata, no status or server fields. */
function quotaManifest(q: ResourceQuota): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: q.metadata.name, namespace: q.metadata.namespace };
  if (q.metadata.labels) metadata.labels = q.metadata.labels;
  if (q.metadata.annotations) {
    const { 'kubectl.kubernetes.io/last-applied-configuration': _omit, ...rest } = q.metadata.annotations;
    if (Object.keys(rest).length) metadata.annotations = rest;
  }
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata, spec: q.spec ?? {} };
}

export function suggestDeleteQuota(q: ResourceQuota, why: string): SuggestedAction | undefined {
  const { namespace, name } = q.metadata;
  if (!allowed(namespace)) return undefined;
  return {
    action: { type: 'DeleteResourceQuota', namespace, name },
    summary: `Delete ResourceQuota ${namespace}/${name}: ${why}`,
    expectedEffect:
      'The controllers create the refused pods on their next sync; the namespace has no quota until it is restored or raised.',
    // Removing a quota lifts a guardrail for the whole namespace: always high.
    risk: 'high',
    rollback: {
      description: `Re-create ResourceQuota ${namespace}/${name} from its manifest as it is now.`,
      manifest: quotaManifest(q),
    },
  };
}

export function suggestScale(d: Deployment, replicas: number, why: string): SuggestedAction | undefined {
  const { namespace, name } = d.metadata;
  if (!allowed(namespace)) return undefined;
  const target = Math.max(0, Math.min(1000, Math.round(replicas)));
  const current = d.spec.replicas ?? 1;
  return {
    action: { type: 'ScaleDeployment', namespace, name, replicas: target },
    summary: `Scale Deployment ${namespace}/${name} from ${current} to ${target} replicas: ${why}`,
    expectedEffect: `${target} pods run and the Service has endpoints again.`,
    risk: target > current ? 'low' : 'medium',
    rollback: {
      description: `Scale back to ${current} replicas.`,
      action: { type: 'ScaleDeployment', namespace, name, replicas: current },
    },
  };
}

export function suggestDeletePod(l: Lookup, pod: Pod, why: string): SuggestedAction | undefined {
  const { namespace, name } = pod.metadata;
  if (!allowed(namespace)) return undefined;
  const workload = l.workloadOf(pod);
  // A pod without a controller would not come back: deleting it is not a remediation.
  if (!workload) return undefined;
  const siblingsReady = l
    .podsOf(workload)
    .filter(
      (p) => p !== pod && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
  return {
    action: { type: 'DeletePod', namespace, name },
    summary: `Delete Pod ${namespace}/${name}: ${why}`,
    expectedEffect: `${workload.kind} ${workload.name} creates a replacement pod.`,
    risk: siblingsReady > 0 ? 'low' : 'medium',
    rollback: {
      description: `No inverse needed: ${workload.kind} ${namespace}/${workload.name} recreates the pod from its template.`,
    },
  };
}
