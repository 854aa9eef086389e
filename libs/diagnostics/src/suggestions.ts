// Typed remediation suggestions with risk and rollback computed from the target's current state:
// the revision to roll back to and the one to return to, the image to patch and the one it
// replaces, the quota manifest a deletion would need to restore. Objects in protected namespaces
// get no suggestion; the executor refuses them again at proposal and execution time.
import {
  applyEdit,
  checkResourceBounds,
  isGrantable,
  containerResources,
  type ContainerResources,
  DEFAULT_RESOURCE_MAXIMA,
  type EditableObject,
  type EnvChange,
  type ObjectRef,
  formatLabels,
  type LimitRangeLike,
  parseQuantity,
  type PodLike,
  preImageOf,
  type QuotaLike,
  type RestorableKind,
  type RollbackPlan,
  selectorCheck,
  type SuggestedAction,
  type WorkloadKind,
  workloadPods,
} from '@foxhound/contracts';
import { PROTECTED_NAMESPACES, type Lookup } from './lookup';
import {
  type ConfigMap,
  type Container,
  type DaemonSet,
  type Deployment,
  type KubeObject,
  type Pod,
  type ResourceQuota,
  type Role,
  type Service,
  type StatefulSet,
} from './snapshot';
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

/** Restart a workload's pods so they read their ConfigMaps and Secrets as they are now. */
export function suggestRolloutRestart(l: Lookup, pod: Pod, why: string): SuggestedAction | undefined {
  const w = podWorkload(l, pod);
  const { namespace, name } = w?.object.metadata ?? {};
  if (!w || !allowed(namespace) || !name) return undefined;
  const replicas = (w.object.spec as { replicas?: number }).replicas ?? 1;
  return {
    action: { type: 'RolloutRestart', namespace, name, kind: w.kind },
    summary: `Restart ${w.kind} ${namespace}/${name}: ${why}`,
    expectedEffect: `New pods replace the old ones one by one and read the current Secret and ConfigMap values at start.`,
    // A rolling restart keeps serving while more than one replica runs.
    risk: w.kind !== 'Deployment' || replicas > 1 ? 'low' : 'medium',
    rollback: {
      description: `Nothing to undo: the restart changes no setting (the restart annotation can be removed, which rolls the pods once more).`,
    },
  };
}

/** A container's command line with one setting changed (a server's timeout), restored by its pre-image. */
export function suggestCommandLine(
  l: Lookup,
  pod: Pod,
  c: Container,
  change: { field: 'command' | 'args'; argv: string[] },
  summary: string,
  effect: string,
): SuggestedAction | undefined {
  const w = podWorkload(l, pod);
  if (!w || !allowed(w.object.metadata.namespace)) return undefined;
  const { namespace, name } = w.object.metadata;
  const where = `${w.kind} ${namespace}/${name}`;
  return {
    action: {
      type: 'PatchContainerCommand',
      namespace: namespace!,
      name,
      kind: w.kind,
      container: c.name,
      [change.field]: change.argv,
    },
    summary: `${summary} in container ${c.name} of ${where}`,
    expectedEffect: effect,
    risk: 'medium',
    rollback: restorePlan(w.kind, w.object, `Put ${where} back as it is now (its command line as it is).`),
  };
}

// Typed edits (issue 14): each computed from the finding's own evidence, never guessed, and each
// rolled back by the target's pre-image. An edit is only suggested when the evidence names the
// value to set: the port the process logs it listens on, an existing key with a close name, the
// one workload whose pods the selector nearly matches, the pods the quota refused.

type Workload = Deployment | StatefulSet | DaemonSet;

/** The inverse of an edit: the target as it is now, put back by RestoreObject. */
function restorePlan(kind: RestorableKind, object: KubeObject, description: string): RollbackPlan {
  const { namespace = '', name } = object.metadata;
  return {
    description,
    action: {
      type: 'RestoreObject',
      namespace,
      name,
      kind,
      preImage: preImageOf(kind, object as unknown as EditableObject),
    },
  };
}

/** The Deployment, StatefulSet or DaemonSet that runs a pod. */
function podWorkload(l: Lookup, pod: Pod): { kind: WorkloadKind; object: Workload } | undefined {
  const w = l.workloadOf(pod);
  if (!w) return undefined;
  const object =
    w.kind === 'Deployment'
      ? l.get('deployments', w.namespace, w.name)
      : w.kind === 'StatefulSet'
        ? l.get('statefulSets', w.namespace, w.name)
        : w.kind === 'DaemonSet'
          ? l.get('daemonSets', w.namespace, w.name)
          : undefined;
  return object ? { kind: w.kind as WorkloadKind, object } : undefined;
}

/** A probe pointed at the port its container really serves. */
export function suggestProbePort(
  l: Lookup,
  pod: Pod,
  container: string,
  probe: 'liveness' | 'readiness' | 'startup',
  port: number,
  why: string,
): SuggestedAction | undefined {
  const w = podWorkload(l, pod);
  if (!w || !allowed(w.object.metadata.namespace)) return undefined;
  const { namespace, name } = w.object.metadata;
  const where = `${w.kind} ${namespace}/${name}`;
  return {
    action: {
      type: 'PatchContainerProbe',
      namespace: namespace!,
      name,
      kind: w.kind,
      container,
      probe,
      port,
    },
    summary: `Point the ${probe} probe of container ${container} of ${where} at port ${port}: ${why}`,
    expectedEffect: `${where} rolls its pods; the ${probe} probe reaches the server on port ${port}, so the kubelet ${probe === 'readiness' ? 'marks the pods Ready and the Service routes to them' : 'stops restarting the container'}.`,
    // Only the probe's port changes; the application and its image stay as they are.
    risk: 'low',
    rollback: restorePlan(
      w.kind,
      w.object,
      `Put ${where} back as it is now (the probe on its current port).`,
    ),
  };
}

/** An environment variable re-pointed at the existing key (or object) it was meant to name. */
export function suggestEnvRepoint(
  l: Lookup,
  pod: Pod,
  c: Container,
  missing: { kind: string; name: string; key?: string; closest?: string; objectExists: boolean },
): SuggestedAction | undefined {
  if (!missing.closest || (missing.kind !== 'ConfigMap' && missing.kind !== 'Secret')) return undefined;
  const w = podWorkload(l, pod);
  if (!w || !allowed(w.object.metadata.namespace)) return undefined;
  const refField = missing.kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef';
  const change: EnvChange | undefined = missing.key
    ? envKeyChange(c, refField, missing.name, missing.key, { name: missing.name, key: missing.closest })
    : envObjectChange(c, missing.kind, missing.name, missing.closest);
  if (!change) return undefined;
  const { namespace, name } = w.object.metadata;
  const where = `${w.kind} ${namespace}/${name}`;
  const wanted = missing.key
    ? `key ${missing.closest} of ${missing.kind} ${missing.name} (it has no key ${missing.key})`
    : `${missing.kind} ${missing.closest} (there is no ${missing.kind} ${missing.name})`;
  return {
    action: {
      type: 'PatchContainerEnv',
      namespace: namespace!,
      name,
      kind: w.kind,
      container: c.name,
      change,
    },
    summary: `Point container ${c.name} of ${where} at ${wanted}.`,
    expectedEffect: `The kubelet can build the container's environment; ${where} rolls its pods and they start.`,
    // The name is the closest existing one, not a certainty: an approver should confirm it.
    risk: 'medium',
    rollback: restorePlan(w.kind, w.object, `Put ${where} back as it is now (the reference as written).`),
  };
}

function envKeyChange(
  c: Container,
  refField: 'configMapKeyRef' | 'secretKeyRef',
  object: string,
  key: string,
  to: { name: string; key: string },
): EnvChange | undefined {
  const entry = (c.env ?? []).find((e) => {
    const ref = (e.valueFrom as Record<string, { name?: string; key?: string } | undefined> | undefined)?.[
      refField
    ];
    return ref?.name === object && ref.key === key;
  });
  if (!entry) return undefined;
  return { op: 'setFrom', name: entry.name, [refField]: to };
}

function envObjectChange(c: Container, kind: string, from: string, to: string): EnvChange | undefined {
  const source = kind === 'ConfigMap' ? 'configMapRef' : 'secretRef';
  const found = (c.envFrom ?? []).some(
    (e) => (e as Record<string, { name?: string } | undefined>)[source]?.name === from,
  );
  return found ? { op: 'repointEnvFrom', source, from, to } : undefined;
}

const MI = 2 ** 20;

/** A memory limit doubled (or 1.5 times the observed peak, if higher) for a container killed at its limit. */
/**
 * A memory request set to what the container was seen using, and a limit a quarter above it (at
 * most what the largest node offers and the configured maximum): the scheduler then places it where it fits, and it cannot
 * crowd a node into pressure again. None when even the request fits no node: the workload itself
 * must use less.
 */
export function suggestMemoryRequestToUsage(
  l: Lookup,
  pod: Pod,
  c: Container,
  usage: number,
  largestAllocatable: number,
): SuggestedAction | undefined {
  const w = podWorkload(l, pod);
  if (!w || !allowed(w.object.metadata.namespace)) return undefined;
  const { namespace, name } = w.object.metadata;
  const roundUp = (bytes: number) => Math.ceil(bytes / (64 * MI)) * 64;
  const requestMi = roundUp(usage);
  const ceiling = Math.min(largestAllocatable, parseQuantity(DEFAULT_RESOURCE_MAXIMA.memory) ?? Infinity);
  const limitMi = Math.max(requestMi, Math.min(roundUp(usage * 1.25), Math.floor(ceiling / MI)));
  if (requestMi * MI > largestAllocatable) return undefined;
  const live = w.object as unknown as EditableObject;
  const before = containerResources(live, c.name);
  const after = {
    requests: { ...before.requests, memory: `${requestMi}Mi` },
    limits: { ...before.limits, memory: `${limitMi}Mi` },
  };
  const bounds = namespaceBounds(l, namespace, live, before, after);
  if (bounds.refusal) return undefined;
  const where = `${w.kind} ${namespace}/${name}`;
  return {
    action: {
      type: 'PatchContainerResources',
      namespace: namespace!,
      name,
      kind: w.kind,
      container: c.name,
      requests: { memory: `${requestMi}Mi` },
      limits: { memory: `${limitMi}Mi` },
    },
    summary: `Set the memory request of container ${c.name} of ${where} to ${requestMi}Mi, what it was seen using (was ${before.requests?.memory ?? 'unset'}), and its limit to ${limitMi}Mi (was ${before.limits?.memory ?? 'unset'}). Bounds: ${bounds.bounds.join('; ')}.`,
    expectedEffect: `The scheduler places ${where} on a node with that much memory free, and the node is no longer driven into pressure by it; above ${limitMi}Mi the container is OOM-killed instead of the node evicting its neighbours.`,
    risk: 'medium',
    rollback: restorePlan(
      w.kind,
      w.object,
      `Put ${where} back as it is now (requests and limits as they are).`,
    ),
  };
}

/** A container resources edit checked against its namespace's LimitRanges and quotas and the configured maxima. */
function namespaceBounds(
  l: Lookup,
  namespace: string | undefined,
  live: EditableObject,
  before: ContainerResources,
  after: ContainerResources,
) {
  return checkResourceBounds({
    before,
    after,
    pods: workloadPods(live),
    limitRanges: l
      .list('limitRanges')
      .filter((r) => r.metadata.namespace === namespace) as unknown as LimitRangeLike[],
    quotas: l
      .list('resourceQuotas')
      .filter((q) => q.metadata.namespace === namespace) as unknown as QuotaLike[],
    maxima: DEFAULT_RESOURCE_MAXIMA,
  });
}

export function suggestMemoryLimit(
  l: Lookup,
  pod: Pod,
  c: Container,
  peak: number | undefined,
): SuggestedAction | undefined {
  const w = podWorkload(l, pod);
  if (!w || !allowed(w.object.metadata.namespace)) return undefined;
  const { namespace, name } = w.object.metadata;
  const live = w.object as unknown as EditableObject;
  const before = containerResources(live, c.name);
  const limit = parseQuantity(before.limits?.memory ?? c.resources?.limits?.memory);
  if (limit === undefined) return undefined;
  const wanted = Math.ceil(Math.max(limit * 2, (peak ?? 0) * 1.5) / (64 * MI)) * 64;
  const memory = `${wanted}Mi`;
  const after = { ...before, limits: { ...before.limits, memory } };
  const bounds = namespaceBounds(l, namespace, live, before, after);
  // Over a LimitRange or the quota, a bigger limit cannot be admitted: no suggestion, the finding stands.
  if (bounds.refusal) return undefined;
  const where = `${w.kind} ${namespace}/${name}`;
  return {
    action: {
      type: 'PatchContainerResources',
      namespace: namespace!,
      name,
      kind: w.kind,
      container: c.name,
      limits: { memory },
    },
    summary: `Raise the memory limit of container ${c.name} of ${where} from ${before.limits?.memory ?? c.resources?.limits?.memory} to ${memory}: it is killed at its limit. Bounds: ${bounds.bounds.join('; ')}.`,
    expectedEffect: `${where} rolls its pods with room for the working set; the OOM kills stop unless the use keeps growing (a leak only moves to the new limit).`,
    risk: 'low',
    rollback: restorePlan(w.kind, w.object, `Put ${where} back as it is now (limits as they are).`),
  };
}

/** A Service selector corrected to the labels of the one workload it nearly matches. */
export function suggestServiceSelector(
  l: Lookup,
  service: Service,
  selector: Record<string, string>,
  meant: ObjectRef,
): SuggestedAction | undefined {
  const { namespace, name } = service.metadata;
  if (!allowed(namespace)) return undefined;
  // The corrected selector must select the meant workload's pods and nothing else.
  const check = selectorCheck(selector, service.spec.selector, l.podsIn(namespace) as unknown as PodLike[]);
  if ('refusal' in check || check.workload !== `${meant.kind} ${meant.name}`) return undefined;
  const workload = `${meant.kind} ${namespace}/${meant.name}`;
  return {
    action: { type: 'PatchServiceSelector', namespace, name, selector },
    summary: `Set the selector of Service ${namespace}/${name} to ${formatLabels(selector)}, the labels of ${workload}'s pods.`,
    expectedEffect: `The Service selects the pods of ${workload} again; its endpoints fill and callers reach them.`,
    risk: 'medium',
    rollback: restorePlan(
      'Service',
      service,
      `Put Service ${namespace}/${name} back as it is now (its current selector).`,
    ),
  };
}

/** A Service port's targetPort set to the port its pods serve. */
export function suggestServicePort(
  service: Service,
  port: number,
  targetPort: number | string,
  why: string,
): SuggestedAction | undefined {
  const { namespace, name } = service.metadata;
  if (!allowed(namespace)) return undefined;
  return {
    action: { type: 'PatchServicePort', namespace, name, port, targetPort },
    summary: `Forward port ${port} of Service ${namespace}/${name} to ${targetPort}: ${why}`,
    expectedEffect: `Connections to the Service reach the port the pods serve.`,
    risk: 'medium',
    rollback: restorePlan('Service', service, `Put Service ${namespace}/${name} back as it is now.`),
  };
}

/** One ConfigMap key set to a corrected value; its current content is kept for the inverse. */
export function suggestConfigMapValue(
  cm: ConfigMap,
  key: string,
  value: string,
  why: string,
): SuggestedAction | undefined {
  const { namespace, name } = cm.metadata;
  if (!allowed(namespace) || value.length > 8192) return undefined;
  return {
    action: { type: 'PatchConfigMapKey', namespace, name, key, value },
    summary: `Set key ${key} of ConfigMap ${namespace}/${name} to ${JSON.stringify(value.length > 120 ? `${value.slice(0, 119)}…` : value)}: ${why}`,
    expectedEffect: `Pods that read ${key} at start-up pick the new value up when they restart (a rollout restart, or the application's own reload for mounted files).`,
    // The value is inferred from what exists in the cluster; the application only sees it on reload.
    risk: 'medium',
    rollback: restorePlan(
      'ConfigMap',
      cm,
      `Put ConfigMap ${namespace}/${name} back as it is now (key ${key} as written).`,
    ),
  };
}

/** A quantity for `resource`, rounded up to a whole Mi, millicore or count. */
function quotaQuantity(resource: string, n: number): string {
  if (/memory|storage/.test(resource)) return `${Math.ceil(n / MI)}Mi`;
  if (/cpu/.test(resource)) return `${Math.ceil(n * 1000)}m`;
  return `${Math.ceil(n)}`;
}

/**
 * A quota raised just enough for the pods it refuses: each exceeded resource to what is used plus
 * what the refused pods ask. Preferred to deleting the quota, which lifts every guardrail it sets.
 */
export function suggestQuotaRaise(
  q: ResourceQuota,
  exceeded: { resource: string; asked: number; used: number; hard: number }[],
  refusedPods: number,
  why: string,
): SuggestedAction | undefined {
  const { namespace, name } = q.metadata;
  if (!allowed(namespace)) return undefined;
  const spec = q.spec?.hard ?? {};
  const lines = exceeded.filter((x) => spec[x.resource] !== undefined && x.asked > 0);
  if (!lines.length) return undefined;
  const hard = Object.fromEntries(
    lines.map((x) => [
      x.resource,
      quotaQuantity(x.resource, Math.max(x.hard, x.used + x.asked * refusedPods)),
    ]),
  );
  const growth = Math.max(...lines.map((x) => (x.used + x.asked * refusedPods) / x.hard));
  return {
    action: { type: 'PatchResourceQuota', namespace, name, hard },
    summary: `Raise ResourceQuota ${namespace}/${name} to ${Object.entries(hard)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )} (from ${lines.map((x) => `${x.resource}=${spec[x.resource]}`).join(', ')}), enough for ${refusedPods} refused pod(s): ${why}`,
    expectedEffect: `The quota admits the ${refusedPods} refused pod(s); the controllers create them on their next sync. Every other limit of the quota stays.`,
    // A small raise keeps the guardrail; doubling or more is a real change of budget.
    risk: growth <= 1.5 ? 'low' : 'medium',
    rollback: restorePlan(
      'ResourceQuota',
      q,
      `Put ResourceQuota ${namespace}/${name} back to its current limits.`,
    ),
  };
}

/**
 * The refused verb added to the namespaced Role bound to the client, when it is a grantable
 * permission and every rule the Role ends up with stays grantable (what AddRoleRule's writer
 * can write without `escalate`); otherwise no suggestion, and a human extends the Role.
 */
export function suggestAddRoleRule(
  role: Role,
  refusal: { verb: string; resource: string; group: string; namespace?: string },
): SuggestedAction | undefined {
  const { namespace, name } = role.metadata;
  // A Role grants in its own namespace only: the refused request must be there (not cluster-wide).
  if (!allowed(namespace) || refusal.namespace !== namespace) return undefined;
  if (!isGrantable(refusal.group, refusal.resource, refusal.verb)) return undefined;
  const action = {
    type: 'AddRoleRule' as const,
    namespace,
    name,
    apiGroup: refusal.group,
    resource: refusal.resource,
    verb: refusal.verb,
  };
  if ('refusal' in applyEdit(action, role as unknown as EditableObject)) return undefined;
  const where = `Role ${namespace}/${name}`;
  return {
    action,
    summary: `Allow ${refusal.verb} on ${refusal.resource} in ${where}: its subject is refused it (Forbidden)`,
    expectedEffect: `The client bound to ${where} gets ${refusal.verb} on ${refusal.resource} in ${namespace} at its next try; nothing else changes.`,
    risk: 'medium',
    rollback: restorePlan(
      'Role',
      role,
      `Put ${where} back as it is now (its rules without ${refusal.verb} on ${refusal.resource}).`,
    ),
  };
}
