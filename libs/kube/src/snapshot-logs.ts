// Which container logs the collector reads: every container of a pod that is unhealthy or has
// restarted (current and, after a restart, previous), then the current log of one healthy pod per
// workload (a dependency's errors often show in callers that are up), within a pod budget.
import { type KubeJson } from '@foxhound/contracts';

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: { exitCode?: number } };
  lastState?: { terminated?: unknown };
}

interface PodJson {
  metadata: {
    name: string;
    namespace?: string;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  status?: {
    phase?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** Waiting reasons of containers that never started: they have no log to read. */
const NEVER_RAN = new Set([
  'ContainerCreating',
  'PodInitializing',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'ErrImageNeverPull',
]);

function hasRun(s: ContainerStatus): boolean {
  return (
    !!(s.state?.running || s.state?.terminated || s.lastState?.terminated || (s.restartCount ?? 0) > 0) &&
    !(NEVER_RAN.has(s.state?.waiting?.reason ?? '') && !s.lastState?.terminated)
  );
}

function isUnhealthy(pod: PodJson): boolean {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  if (pod.status?.phase === 'Failed') return true;
  return statuses.some(
    (s) =>
      (s.restartCount ?? 0) > 0 ||
      (!s.ready && !!pod.status?.containerStatuses?.includes(s)) ||
      (s.state?.terminated?.exitCode ?? 0) !== 0,
  );
}

function ownerKey(pod: PodJson): string {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  return owner
    ? `${pod.metadata.namespace}/${owner.kind}/${owner.name}`
    : `${pod.metadata.namespace}/Pod/${pod.metadata.name}`;
}

function requestsFor(pod: PodJson, withPrevious: boolean): LogRequest[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const out: LogRequest[] = [];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    if (!hasRun(s)) continue;
    out.push({ namespace, pod: pod.metadata.name, container: s.name, previous: false });
    if (withPrevious && ((s.restartCount ?? 0) > 0 || s.lastState?.terminated))
      out.push({ namespace, pod: pod.metadata.name, container: s.name, previous: true });
  }
  return out;
}

export function podsNeedingLogs(
  items: KubeJson[],
  maxPods: number,
): { requests: LogRequest[]; skipped: number } {
  const pods = items as unknown as PodJson[];
  const unhealthy = pods.filter(isUnhealthy);
  const seenOwners = new Set(unhealthy.map(ownerKey));
  const healthy: PodJson[] = [];
  for (const pod of pods) {
    if (isUnhealthy(pod) || pod.status?.phase !== 'Running' || seenOwners.has(ownerKey(pod))) continue;
    seenOwners.add(ownerKey(pod));
    healthy.push(pod);
  }
  const chosen = [...unhealthy, ...healthy];
  const requests = chosen.slice(0, maxPods).flatMap((pod, i) => requestsFor(pod, i < unhealthy.length));
  return { requests, skipped: Math.max(0, chosen.length - maxPods) };
}
