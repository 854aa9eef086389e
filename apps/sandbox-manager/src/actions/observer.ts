// Whether the target recovered after an applied action, with the evidence an approver reads: a
// workload's available and updated replicas against the desired count and its pods' readiness, a
// deleted pod's replacement Ready, a restored quota's limits, a restored object equal to its
// pre-image, a Service selecting Ready pods that declare its target ports, and no new Warning events in the
// namespace since the apply (events about pods that are gone no longer count). One look per call;
// executor.ts decides when to look and what the windows mean.
import { type ExecutableAction, preImageDifferences } from '@foxhound/contracts';
import { type KubeClient } from '@foxhound/kube';
import { getOrUndefined, targetPath, type RawObject } from './target';

export interface Observation {
  recovered: boolean;
  evidence: string[];
}

/** What the executor remembered about the target when it applied the action. */
export interface AppliedContext {
  appliedAt: string;
  /** DeletePod: the pod that was deleted and its controller. */
  deletedPod?: { uid?: string; owner?: { kind: string; name: string; uid: string } };
}

interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string };
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  metadata?: { creationTimestamp?: string };
}

const ns = (s: string) => encodeURIComponent(s);
const MAX_WARNINGS_SHOWN = 3;

export async function observe(
  client: KubeClient,
  action: ExecutableAction,
  applied: AppliedContext,
): Promise<Observation> {
  const checks: Observation[] = [];
  switch (action.type) {
    case 'DeleteResourceQuota':
      checks.push(await namespaceWorkloads(client, action.namespace));
      break;
    case 'RestoreResourceQuota':
      checks.push(await quotaRestored(client, action));
      break;
    case 'DeletePod':
      checks.push(await replacementReady(client, action.namespace, applied));
      break;
    case 'RolloutRestart':
    case 'PatchContainerResources':
    case 'PatchContainerProbe':
    case 'PatchContainerCommand':
    case 'PatchContainerEnv':
    case 'PatchPodScheduling':
    case 'PatchPodSecurityContext':
      checks.push(await workloadReady(client, action.kind, action.namespace, action.name));
      break;
    case 'PatchServiceSelector':
    case 'PatchServicePort':
      checks.push(await serviceServes(client, action.namespace, action.name));
      break;
    case 'PatchConfigMapKey':
    case 'PatchResourceQuota':
    case 'AddRoleRule':
      checks.push(await namespaceWorkloads(client, action.namespace));
      break;
    case 'RestoreObject': {
      // A rollback is done when the pre-image is back, even if that state was unhealthy: the
      // workload's status is shown, not required.
      checks.push(await preImageRestored(client, action));
      if (action.kind === 'Deployment' || action.kind === 'StatefulSet' || action.kind === 'DaemonSet') {
        const status = await workloadReady(client, action.kind, action.namespace, action.name);
        checks.push({ recovered: true, evidence: status.evidence });
      }
      break;
    }
    case 'PatchDeploymentImage':
    case 'RollbackDeployment':
    case 'ScaleDeployment':
      checks.push(await workloadReady(client, 'Deployment', action.namespace, action.name));
  }
  checks.push(await noNewWarnings(client, action.namespace, applied.appliedAt));
  return { recovered: checks.every((c) => c.recovered), evidence: checks.flatMap((c) => c.evidence) };
}

async function workloadReady(
  client: KubeClient,
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  namespace: string,
  name: string,
): Promise<Observation> {
  const path = `/apis/apps/v1/namespaces/${ns(namespace)}/${kind.toLowerCase()}s/${ns(name)}`;
  const object = await getOrUndefined<RawObject>(client, path);
  if (!object) return { recovered: false, evidence: [`${kind} ${namespace}/${name}: not found`] };
  return workloadStatus(client, kind, object);
}

async function workloadStatus(
  client: KubeClient,
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  object: RawObject,
): Promise<Observation> {
  const { namespace = '', name, generation } = object.metadata;
  const status = (object.status ?? {}) as Record<string, number | undefined>;
  const desired = kind === 'DaemonSet' ? (status.desiredNumberScheduled ?? 0) : (object.spec?.replicas ?? 1);
  const available = (kind === 'DaemonSet' ? status.numberAvailable : status.availableReplicas) ?? 0;
  const updated = (kind === 'DaemonSet' ? status.updatedNumberScheduled : status.updatedReplicas) ?? 0;
  const ready = (kind === 'DaemonSet' ? status.numberReady : status.readyReplicas) ?? 0;
  const observed = kind !== 'Deployment' || (status.observedGeneration ?? 0) >= (generation ?? 0);
  const pods = await podsMatching(client, namespace, object.spec?.selector?.matchLabels);
  const readyPods = pods.filter(isReady).length;
  // As `kubectl rollout status` decides, plus readiness: no old replicas left, every pod Ready.
  const total = (kind === 'DaemonSet' ? status.currentNumberScheduled : status.replicas) ?? 0;
  const recovered =
    observed &&
    total === desired &&
    available === desired &&
    updated === desired &&
    ready === desired &&
    readyPods === pods.length &&
    readyPods >= desired;
  return {
    recovered,
    evidence: [
      `${kind} ${namespace}/${name}: ${available}/${desired} available, ${updated}/${desired} updated${observed ? '' : ' (rollout not yet observed)'}`,
      `Pods of ${kind} ${namespace}/${name}: ${readyPods}/${pods.length} Ready`,
    ],
  };
}

/** After a quota is deleted: every Deployment in the namespace has all its replicas available. */
async function namespaceWorkloads(client: KubeClient, namespace: string): Promise<Observation> {
  const list = await client.getJson<{ items: RawObject[] }>(
    `/apis/apps/v1/namespaces/${ns(namespace)}/deployments`,
  );
  const each = await Promise.all(list.items.map((d) => workloadStatus(client, 'Deployment', d)));
  return {
    recovered: each.every((c) => c.recovered),
    evidence: each.flatMap((c) => c.evidence.slice(0, 1)),
  };
}

async function quotaRestored(
  client: KubeClient,
  action: Extract<ExecutableAction, { type: 'RestoreResourceQuota' }>,
): Promise<Observation> {
  const quota = await getOrUndefined<RawObject>(client, targetPath(action));
  const where = `ResourceQuota ${action.namespace}/${action.name}`;
  if (!quota) return { recovered: false, evidence: [`${where}: missing`] };
  const hard = quota.spec?.hard ?? {};
  const differing = Object.entries(action.hard).filter(([k, v]) => hard[k] !== v);
  return {
    recovered: differing.length === 0,
    evidence: [
      differing.length === 0
        ? `${where}: exists with hard ${Object.entries(action.hard)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : `${where}: hard limits differ (${differing.map(([k, v]) => `${k}: want ${v}, has ${hard[k] ?? 'none'}`).join('; ')})`,
    ],
  };
}

/** A restore holds while the object still equals its pre-image. */
async function preImageRestored(
  client: KubeClient,
  action: Extract<ExecutableAction, { type: 'RestoreObject' }>,
): Promise<Observation> {
  const object = await getOrUndefined<RawObject>(client, targetPath(action));
  const where = `${action.kind} ${action.namespace}/${action.name}`;
  if (!object) return { recovered: false, evidence: [`${where}: missing`] };
  const differing = preImageDifferences(action.kind, action.preImage, object);
  return {
    recovered: differing.length === 0,
    evidence: [
      differing.length === 0
        ? `${where}: equal to its pre-image (labels, annotations, ${action.kind === 'ConfigMap' ? 'data' : 'spec'})`
        : `${where}: differs from its pre-image in ${differing.join(', ')}`,
    ],
  };
}

/** A Service serves when its selector matches Ready pods that declare the port it forwards to. */
async function serviceServes(client: KubeClient, namespace: string, name: string): Promise<Observation> {
  const service = await getOrUndefined<RawObject>(
    client,
    `/api/v1/namespaces/${ns(namespace)}/services/${ns(name)}`,
  );
  const where = `Service ${namespace}/${name}`;
  if (!service) return { recovered: false, evidence: [`${where}: not found`] };
  const selector = service.spec?.selector as Record<string, string> | undefined;
  const pods = (await podsMatching(client, namespace, selector)).filter(isReady);
  const ports = (service.spec?.ports ?? []) as { port: number; targetPort?: number | string }[];
  // Declaring a port is optional: a number counts as served when the pod declares none at all.
  const declared = (pod: RawObject, target: number | string) => {
    const containers = (pod.spec?.containers ?? []) as {
      ports?: { name?: string; containerPort?: number }[];
    }[];
    const ports = containers.flatMap((c) => c.ports ?? []);
    if (typeof target === 'number')
      return ports.length === 0 || ports.some((p) => p.containerPort === target);
    return ports.some((p) => p.name === target);
  };
  const unserved = ports.filter((p) => !pods.some((pod) => declared(pod, p.targetPort ?? p.port)));
  return {
    recovered: pods.length > 0 && unserved.length === 0,
    evidence: [
      `${where}: ${pods.length} Ready pod(s) selected${
        unserved.length
          ? `; no selected pod declares targetPort ${unserved.map((p) => p.targetPort ?? p.port).join(', ')}`
          : ''
      }`,
    ],
  };
}

async function replacementReady(
  client: KubeClient,
  namespace: string,
  applied: AppliedContext,
): Promise<Observation> {
  const owner = applied.deletedPod?.owner;
  if (!owner) return { recovered: true, evidence: ['The deleted pod had no controller to replace it.'] };
  const list = await client.getJson<{ items: RawObject[] }>(`/api/v1/namespaces/${ns(namespace)}/pods`);
  const replacements = list.items.filter(
    (p) =>
      p.metadata.uid !== applied.deletedPod?.uid &&
      p.metadata.ownerReferences?.some((o) => o.controller && o.uid === owner.uid),
  );
  const ready = replacements.filter(isReady);
  return {
    recovered: replacements.length > 0 && ready.length === replacements.length,
    evidence: [
      `Pods of ${owner.kind} ${namespace}/${owner.name} after the delete: ${ready.length}/${replacements.length} Ready`,
    ],
  };
}

async function noNewWarnings(client: KubeClient, namespace: string, since: string): Promise<Observation> {
  const [events, pods] = await Promise.all([
    client.getJson<{ items: EventLike[] }>(`/api/v1/namespaces/${ns(namespace)}/events`, {
      fieldSelector: 'type=Warning',
    }),
    client.getJson<{ items: RawObject[] }>(`/api/v1/namespaces/${ns(namespace)}/pods`),
  ]);
  const live = new Set(pods.items.map((p) => p.metadata.name));
  const sinceMs = Date.parse(since);
  const fresh = events.items.filter((e) => {
    const at = Date.parse(
      e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '',
    );
    if (!(at >= sinceMs)) return false;
    return e.involvedObject?.kind !== 'Pod' || live.has(e.involvedObject.name ?? '');
  });
  return {
    recovered: fresh.length === 0,
    evidence: [
      fresh.length === 0
        ? `No new Warning events in namespace ${namespace} since the apply`
        : `${fresh.length} new Warning event(s) in namespace ${namespace}: ${fresh
            .slice(0, MAX_WARNINGS_SHOWN)
            .map((e) =>
              `${e.reason} ${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.message ?? ''}`.trim(),
            )
            .join('; ')}`,
    ],
  };
}

async function podsMatching(
  client: KubeClient,
  namespace: string,
  labels: Record<string, string> | undefined,
): Promise<RawObject[]> {
  if (!labels || Object.keys(labels).length === 0) return [];
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const list = await client.getJson<{ items: RawObject[] }>(`/api/v1/namespaces/${ns(namespace)}/pods`, {
    labelSelector,
  });
  return list.items.filter((p) => !(p.metadata as { deletionTimestamp?: string }).deletionTimestamp);
}

function isReady(pod: RawObject): boolean {
  const conditions = (pod.status?.conditions ?? []) as { type: string; status: string }[];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}
