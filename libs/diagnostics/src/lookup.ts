// Indexes over one snapshot, built once and shared by every analyzer: objects by kind and name, pods
// by namespace and by owning workload, events by involved object, logs by container. Analyzers stay
// pure functions of the snapshot; the memo (a WeakMap keyed by the snapshot) keeps a 10,000-pod
// analysis linear instead of every analyzer re-scanning every list.
import {
  SNAPSHOT_KINDS,
  SNAPSHOT_RESOURCES,
  type ActionTargetKind,
  type ObjectRef,
} from '@foxhound/contracts';
import {
  type ClusterSnapshot,
  type ContainerLog,
  type KubeEvent,
  type KubeObject,
  type Pod,
  type ReplicaSet,
  type SnapshotKind,
  type SnapshotObjects,
} from './snapshot';
import { eventTime } from './util/finding';
import { refKey } from './util/refs';
import { matchesLabels } from './util/selectors';
import { toMillis } from './util/time';

/** The Kubernetes kind of each snapshot list, as object references name it. */
export const KIND_OF = Object.fromEntries(
  SNAPSHOT_KINDS.map((k) => [k, SNAPSHOT_RESOURCES[k].kind]),
) as Readonly<Record<SnapshotKind, string>>;

/** The snapshot list that holds each kind of object an action can change. */
export const TARGET_LIST: Readonly<Record<ActionTargetKind, SnapshotKind>> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
  Pod: 'pods',
  ResourceQuota: 'resourceQuotas',
  Service: 'services',
  ConfigMap: 'configMaps',
  Role: 'roles',
};

export const PROTECTED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

const REVISION = 'deployment.kubernetes.io/revision';

export interface PodLogs {
  current?: ContainerLog;
  previous?: ContainerLog;
}

export interface Lookup {
  snapshot: ClusterSnapshot;
  /** `capturedAt` in epoch ms. */
  now: number;
  inScope(namespace: string | undefined): boolean;
  /** Objects of one kind that are in scope (cluster-scoped kinds: all of them). */
  list<K extends SnapshotKind>(kind: K): SnapshotObjects[K];
  get<K extends SnapshotKind>(
    kind: K,
    namespace: string | undefined,
    name: string,
  ): SnapshotObjects[K][number] | undefined;
  podsIn(namespace: string): Pod[];
  /** Pods whose labels match an equality selector, in one namespace. */
  podsMatching(namespace: string, selector: Record<string, string> | undefined): Pod[];
  /** The top controller of a pod: Deployment (through its ReplicaSet), StatefulSet, DaemonSet, CronJob or Job. */
  workloadOf(pod: Pod): ObjectRef | undefined;
  podsOf(workload: ObjectRef): Pod[];
  /** A Deployment's ReplicaSets, newest revision first. */
  replicaSetsOf(namespace: string, deployment: string): ReplicaSet[];
  revisionOf(rs: ReplicaSet): number;
  /** Events about one object, newest first. */
  eventsFor(ref: ObjectRef): KubeEvent[];
  logsFor(namespace: string, pod: string, container: string): PodLogs;
}

const memo = new WeakMap<ClusterSnapshot, Lookup>();

export function lookup(snapshot: ClusterSnapshot): Lookup {
  let found = memo.get(snapshot);
  if (!found) {
    found = buildLookup(snapshot);
    memo.set(snapshot, found);
  }
  return found;
}

function nsKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const bucket = map.get(k);
    if (bucket) bucket.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function controllerOf(obj: KubeObject): { kind: string; name: string } | undefined {
  const owners = obj.metadata.ownerReferences ?? [];
  return owners.find((o) => o.controller) ?? owners[0];
}

function buildLookup(snapshot: ClusterSnapshot): Lookup {
  const scope = new Set(snapshot.namespaces);
  const inScope = (namespace: string | undefined) => !namespace || scope.size === 0 || scope.has(namespace);
  const now = toMillis(snapshot.capturedAt) ?? Date.now();

  const listed = new Map<SnapshotKind, KubeObject[]>();
  const list = <K extends SnapshotKind>(kind: K): SnapshotObjects[K] => {
    let items = listed.get(kind);
    if (!items) {
      const all = snapshot.objects[kind] as KubeObject[];
      items = scope.size === 0 ? all : all.filter((o) => inScope(o.metadata.namespace));
      listed.set(kind, items);
    }
    return items as SnapshotObjects[K];
  };

  const byName = new Map<SnapshotKind, Map<string, KubeObject>>();
  const get = <K extends SnapshotKind>(kind: K, namespace: string | undefined, name: string) => {
    let map = byName.get(kind);
    if (!map) {
      map = new Map(
        (snapshot.objects[kind] as KubeObject[]).map((o) => [
          nsKey(o.metadata.namespace, o.metadata.name),
          o,
        ]),
      );
      byName.set(kind, map);
    }
    return map.get(nsKey(namespace, name)) as SnapshotObjects[K][number] | undefined;
  };

  const pods = snapshot.objects.pods;
  const podsByNs = groupBy(pods, (p) => p.metadata.namespace ?? '');

  const workloadCache = new Map<Pod, ObjectRef | undefined>();
  const workloadOf = (pod: Pod): ObjectRef | undefined => {
    if (workloadCache.has(pod)) return workloadCache.get(pod);
    const namespace = pod.metadata.namespace;
    let owner = controllerOf(pod);
    let result: ObjectRef | undefined;
    if (owner?.kind === 'ReplicaSet') {
      const rs = get('replicaSets', namespace, owner.name);
      const rsOwner = rs ? controllerOf(rs) : undefined;
      result =
        rsOwner?.kind === 'Deployment'
          ? { kind: 'Deployment', name: rsOwner.name, namespace }
          : { kind: 'ReplicaSet', name: owner.name, namespace };
      if (!rs && !rsOwner) {
        // The ReplicaSet was not collected: derive the Deployment from the pod-template-hash naming.
        const hash = pod.metadata.labels?.['pod-template-hash'];
        if (hash && owner.name.endsWith(`-${hash}`)) {
          result = { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1), namespace };
        }
      }
    } else if (owner?.kind === 'Job') {
      const job = get('jobs', namespace, owner.name);
      owner = job ? controllerOf(job) : undefined;
      result =
        owner?.kind === 'CronJob'
          ? { kind: 'CronJob', name: owner.name, namespace }
          : { kind: 'Job', name: controllerOf(pod)!.name, namespace };
    } else if (owner) {
      result = { kind: owner.kind, name: owner.name, namespace };
    }
    workloadCache.set(pod, result);
    return result;
  };

  let podsByWorkload: Map<string, Pod[]> | undefined;
  const podsOf = (workload: ObjectRef) => {
    podsByWorkload ??= groupBy(pods, (p) => {
      const w = workloadOf(p);
      return w && refKey(w);
    });
    return podsByWorkload.get(refKey(workload)) ?? [];
  };

  const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
  let rsByDeployment: Map<string, ReplicaSet[]> | undefined;
  const replicaSetsOf = (namespace: string, deployment: string) => {
    if (!rsByDeployment) {
      rsByDeployment = groupBy(snapshot.objects.replicaSets, (rs) => {
        const owner = controllerOf(rs);
        return owner?.kind === 'Deployment' ? nsKey(rs.metadata.namespace, owner.name) : undefined;
      });
      for (const list of rsByDeployment.values()) {
        list.sort(
          (a, b) =>
            revisionOf(b) - revisionOf(a) ||
            (toMillis(b.metadata.creationTimestamp) ?? 0) - (toMillis(a.metadata.creationTimestamp) ?? 0),
        );
      }
    }
    return rsByDeployment.get(nsKey(namespace, deployment)) ?? [];
  };

  let eventsByObject: Map<string, KubeEvent[]> | undefined;
  const eventsFor = (r: ObjectRef) => {
    if (!eventsByObject) {
      eventsByObject = groupBy(snapshot.objects.events, (e) =>
        e.involvedObject.name
          ? refKey({
              kind: e.involvedObject.kind ?? '',
              name: e.involvedObject.name,
              namespace: e.involvedObject.namespace,
            })
          : undefined,
      );
      for (const list of eventsByObject.values()) {
        list.sort((a, b) => (toMillis(eventTime(b)) ?? 0) - (toMillis(eventTime(a)) ?? 0));
      }
    }
    return eventsByObject.get(refKey(r)) ?? [];
  };

  const logs = new Map<string, PodLogs>();
  for (const log of snapshot.logs) {
    const key = `${log.namespace}/${log.pod}/${log.container}`;
    const entry = logs.get(key) ?? {};
    if (log.previous) entry.previous = log;
    else entry.current = log;
    logs.set(key, entry);
  }

  return {
    snapshot,
    now,
    inScope,
    list,
    get,
    podsIn: (namespace) => podsByNs.get(namespace) ?? [],
    podsMatching: (namespace, selector) =>
      selector && Object.keys(selector).length
        ? (podsByNs.get(namespace) ?? []).filter((p) => matchesLabels(p.metadata.labels, selector))
        : [],
    workloadOf,
    podsOf,
    replicaSetsOf,
    revisionOf,
    eventsFor,
    logsFor: (namespace, pod, container) => logs.get(`${namespace}/${pod}/${container}`) ?? {},
  };
}
