// The DaemonSet controller's sync (pkg/controller/daemon), after the Kubernetes docs "DaemonSet"
// (https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/): one pod on every node
// whose labels match the template's node selector and required node affinity and whose
// NoSchedule/NoExecute taints the template tolerates (with the tolerations the controller adds to
// every daemon pod); each pod pinned to its node by a `metadata.name` node-affinity term and placed
// by the scheduler; pods on nodes that no longer qualify deleted; failed pods deleted and made
// again; RollingUpdate replacing outdated pods within maxUnavailable (default 1).
import { type StatusError } from '../../api/status';
import { fromStructured } from '../../selectors/labels';
import { type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { type EventRecorder } from '../events';
import { daemonFits } from '../kubelet/scheduler';
import { isControlledBy } from '../owners';
import { podFromTemplate } from '../pod-template';
import { type ReconcileResult } from '../work-queue';
import { canonicalJson, isPodAvailable, isPodReady } from '../workloads/objects';
import { podTemplateHash } from '../workloads/template';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const DAEMONSETS = 'daemonsets.apps';

/** The tolerations every daemon pod gets (daemon util AddOrUpdateDaemonPodTolerations). */
const DAEMON_TOLERATIONS: Json[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export interface DaemonSetSyncContext {
  store: KubeStore;
  events: EventRecorder;
}

function withDaemonTolerations(spec: Json): Json {
  const tolerations: Json[] = [...(spec.tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS) {
    if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
  }
  return { ...spec, tolerations };
}

const nodeOf = (pod: StoredObject): string | undefined => {
  const spec: Json = (pod as Json).spec ?? {};
  if (spec.nodeName) return spec.nodeName;
  const terms: Json[] =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const field = terms.flatMap((t) => (t.matchFields ?? []) as Json[]).find((f) => f.key === 'metadata.name');
  return field?.values?.[0];
};

function newPod(ds: StoredObject, node: string, hash: string): KubeObject {
  const spec: Json = (ds as Json).spec ?? {};
  const pod = podFromTemplate(ds, spec.template, {
    labels: {
      'controller-revision-hash': hash,
      'pod-template-generation': String(ds.metadata.generation ?? 1),
    },
  }) as Json;
  pod.spec = withDaemonTolerations(pod.spec);
  pod.spec.affinity = {
    ...(pod.spec.affinity ?? {}),
    nodeAffinity: {
      ...(pod.spec.affinity?.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
  return pod as KubeObject;
}

function maxUnavailable(spec: Json, desired: number): number {
  const raw = spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const n =
    typeof raw === 'string' && raw.endsWith('%')
      ? Math.floor((desired * Number(raw.slice(0, -1))) / 100)
      : Number(raw);
  return Math.max(1, Number.isFinite(n) ? n : 1);
}

/**
 * IsPodUpdated: made from the current template, by hash or by template generation (the latter
 * also keeps pods loaded from a scenario, whose hash was computed by a real cluster, up to date).
 */
function isUpdated(pod: StoredObject, ds: StoredObject, hash: string): boolean {
  const labels = pod.metadata.labels ?? {};
  return (
    labels['controller-revision-hash'] === hash ||
    labels['pod-template-generation'] === String(ds.metadata.generation ?? 1)
  );
}

export function syncDaemonSet(ctx: DaemonSetSyncContext, namespace: string, name: string): ReconcileResult {
  const { store, events } = ctx;
  const ds = store.find(DAEMONSETS, namespace, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const spec: Json = (ds as Json).spec ?? {};
  const hash = podTemplateHash(spec.template);
  const template = withDaemonTolerations(spec.template?.spec ?? {});
  const nodes = store.list('nodes').items;
  const wanted = new Set(nodes.filter((n) => daemonFits(template, n)).map((n) => n.metadata.name));
  const selector = fromStructured((spec.selector ?? {}) as Json);
  const pods = store
    .list('pods', { namespace, labelSelector: selector })
    .items.filter((p) => isControlledBy(p, ds) && !p.metadata.deletionTimestamp);
  const byNode = new Map<string, StoredObject[]>();
  for (const p of pods) {
    const node = nodeOf(p) ?? '';
    byNode.set(node, [...(byNode.get(node) ?? []), p]);
  }
  const remove = (pod: StoredObject) => {
    store.delete('pods', namespace, pod.metadata.name);
    events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  };
  let failure = false;
  try {
    for (const [node, onNode] of byNode) {
      if (!wanted.has(node)) {
        onNode.forEach(remove);
        continue;
      }
      for (const p of onNode) {
        if ((p as Json).status?.phase === 'Failed') {
          events.record(
            ds,
            'Warning',
            'FailedDaemonPod',
            `Found failed daemon pod ${namespace}/${p.metadata.name} on node ${node}, will try to kill it`,
          );
          remove(p);
        }
      }
      // More than one daemon pod on a node: keep the oldest.
      onNode.slice(1).forEach(remove);
    }
    for (const node of wanted) {
      if ((byNode.get(node) ?? []).some((p) => (p as Json).status?.phase !== 'Failed')) continue;
      try {
        const pod = store.create('pods', newPod(ds, node, hash));
        events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      } catch (err) {
        events.record(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as StatusError).message}`);
        failure = true;
      }
    }
    // RollingUpdate: outdated pods go while no more than maxUnavailable are unavailable.
    if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const live = pods.filter(
        (p) => wanted.has(nodeOf(p) ?? '') && store.find('pods', namespace, p.metadata.name),
      );
      const unavailable =
        wanted.size - live.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, store.now())).length;
      let budget = maxUnavailable(spec, wanted.size) - unavailable;
      for (const p of live) {
        if (isUpdated(p, ds, hash)) continue;
        const available = isPodAvailable(p, spec.minReadySeconds ?? 0, store.now());
        if (available && budget <= 0) continue;
        remove(p);
        if (available) budget--;
      }
    }
  } catch {
    failure = true;
  }

  const now = store.now();
  const current = store
    .list('pods', { namespace, labelSelector: selector })
    .items.filter((p) => isControlledBy(p, ds) && !p.metadata.deletionTimestamp);
  const scheduledOn = (p: StoredObject) => nodeOf(p) ?? '';
  const onWanted = current.filter((p) => wanted.has(scheduledOn(p)));
  const available = onWanted.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, now)).length;
  const status: Json = {
    currentNumberScheduled: new Set(onWanted.map(scheduledOn)).size,
    numberMisscheduled: current.length - onWanted.length,
    desiredNumberScheduled: wanted.size,
    numberReady: onWanted.filter(isPodReady).length,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: onWanted.filter((p) => isUpdated(p, ds, hash)).length,
    ...(available ? { numberAvailable: available } : {}),
    ...(wanted.size - available > 0 ? { numberUnavailable: wanted.size - available } : {}),
  };
  const latest = store.find(DAEMONSETS, namespace, name);
  if (latest && canonicalJson(status) !== canonicalJson((latest as Json).status ?? {})) {
    store.update(DAEMONSETS, { ...latest, status } as KubeObject, { subresource: 'status' });
  }
  return failure ? 'backoff' : undefined;
}
