// Which container logs the collector reads, in what order: every container of every pod in scope
// that has run (current log, and the previous instance's when a terminated lastState exists). The
// evidence of an incident is often only in the logs of pods that are Running and Ready, so no pod is
// skipped for looking healthy; the order decides what a bounded budget reads first:
//   1. pods that are unhealthy or have restarted;
//   2. pods of workloads the focus (prompt, alert title) names;
//   3. every other pod.
// Within a tier, workloads take turns (the first pod of each, then the second of each, ...), so one
// large Deployment cannot use up the budget before its neighbours are read at all.
import { type KubeJson } from '@foxhound/contracts';

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

export type LogTier = 'unhealthy' | 'focus' | 'other';

export interface PodLogPlan {
  namespace: string;
  pod: string;
  tier: LogTier;
  /** The pod's containers that have a log to read, in spec order (init containers first). */
  requests: LogRequest[];
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
    labels?: Record<string, string>;
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
  if (pod.status?.phase === 'Failed') return true;
  if (pod.status?.phase === 'Succeeded') return false;
  const main = pod.status?.containerStatuses ?? [];
  const init = pod.status?.initContainerStatuses ?? [];
  return (
    [...init, ...main].some((s) => (s.restartCount ?? 0) > 0 || (s.state?.terminated?.exitCode ?? 0) !== 0) ||
    main.some((s) => !s.ready)
  );
}

/** The controlling workload: a ReplicaSet named `<deployment>-<hash>` stands for its Deployment. */
function workloadName(pod: PodJson): { key: string; names: string[] } {
  const ns = pod.metadata.namespace ?? 'default';
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return { key: `${ns}/Pod/${pod.metadata.name}`, names: [pod.metadata.name] };
  const names = [owner.name];
  if (owner.kind === 'ReplicaSet') names.push(owner.name.replace(/-[a-z0-9]{5,10}$/, ''));
  if (owner.kind === 'Job') names.push(owner.name.replace(/-\d{8,}$/, ''));
  return { key: `${ns}/${owner.kind}/${owner.name}`, names };
}

/** Words of the focus text that can name a workload (the same rule rank.ts uses for root causes). */
function focusWords(focus: string | undefined): Set<string> {
  return new Set(
    (focus ?? '')
      .toLowerCase()
      .split(/[^a-z0-9-]+/)
      .filter((w) => w.length >= 3),
  );
}

function isFocused(pod: PodJson, names: string[], words: Set<string>): boolean {
  if (words.size === 0) return false;
  const labels = pod.metadata.labels ?? {};
  const candidates = [...names, labels['app'], labels['app.kubernetes.io/name']]
    .filter((n): n is string => !!n)
    .map((n) => n.toLowerCase());
  return candidates.some(
    (n) => words.has(n) || n.split('-').some((part) => part.length >= 4 && words.has(part)),
  );
}

function requestsFor(pod: PodJson): LogRequest[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const out: LogRequest[] = [];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    if (!hasRun(s)) continue;
    // The previous instance first: after a crash it holds the cause, the current one a fresh start.
    if (s.lastState?.terminated)
      out.push({ namespace, pod: pod.metadata.name, container: s.name, previous: true });
    out.push({ namespace, pod: pod.metadata.name, container: s.name, previous: false });
  }
  return out;
}

/** Pods of each workload in turn: the first of every workload, then the second of every workload, ... */
function interleave(pods: { pod: PodJson; key: string }[]): PodJson[] {
  const byWorkload = new Map<string, PodJson[]>();
  for (const { pod, key } of pods) {
    const list = byWorkload.get(key);
    if (list) list.push(pod);
    else byWorkload.set(key, [pod]);
  }
  const lists = [...byWorkload.values()];
  const out: PodJson[] = [];
  for (let i = 0; out.length < pods.length; i++)
    for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

const TIERS: LogTier[] = ['unhealthy', 'focus', 'other'];

/** Every pod with a log to read, in reading order. Pods whose containers never ran are left out. */
export function planLogReads(items: KubeJson[], focus?: string): PodLogPlan[] {
  const words = focusWords(focus);
  const tiers = new Map<LogTier, { pod: PodJson; key: string }[]>(TIERS.map((t) => [t, []]));
  const sorted = [...(items as unknown as PodJson[])].sort(
    (a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  for (const pod of sorted) {
    const { key, names } = workloadName(pod);
    const tier: LogTier = isUnhealthy(pod) ? 'unhealthy' : isFocused(pod, names, words) ? 'focus' : 'other';
    tiers.get(tier)!.push({ pod, key });
  }
  return TIERS.flatMap((tier) =>
    interleave(tiers.get(tier)!).map((pod) => ({
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name,
      tier,
      requests: requestsFor(pod),
    })),
  ).filter((p) => p.requests.length > 0);
}
