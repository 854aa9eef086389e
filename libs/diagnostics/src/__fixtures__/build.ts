// Test builders for objects shaped as `kubectl get -o json` prints them (status included), so each
// test states only what matters to it. Times are relative to NOW, the snapshot's capture time.
import {
  type ClusterSnapshot,
  type Condition,
  type Container,
  type ContainerLog,
  type ContainerStatus,
  type Deployment,
  type Endpoints,
  type Ingress,
  type KubeEvent,
  type Labels,
  type Node,
  type Pod,
  type PodSpec,
  type PodTemplateSpec,
  type ReplicaSet,
  type Service,
  type SnapshotObjects,
  createSnapshot,
} from '../snapshot';

export const NOW = '2025-10-21T10:00:00Z';
export const NS = 'shop';

export function ago(minutes: number): string {
  return new Date(Date.parse(NOW) - minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

let uid = 0;
function meta(name: string, namespace: string | undefined, extra: Record<string, unknown> = {}) {
  uid++;
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: `00000000-0000-4000-8000-${String(uid).padStart(12, '0')}`,
    resourceVersion: String(1000 + uid),
    creationTimestamp: ago(60 * 24),
    ...extra,
  };
}

export function container(name: string, extra: Partial<Container> = {}): Container {
  return {
    name,
    image: `registry.example.com/shop/${name}:1.0.0`,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    ...extra,
  };
}

export function running(name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    name,
    ready: true,
    started: true,
    restartCount: 0,
    image: `registry.example.com/shop/${name}:1.0.0`,
    state: { running: { startedAt: ago(600) } },
    ...extra,
  };
}

export function crashLooping(
  name: string,
  o: { exitCode?: number; reason?: string; restarts?: number; message?: string } = {},
): ContainerStatus {
  return {
    name,
    ready: false,
    started: false,
    restartCount: o.restarts ?? 6,
    state: {
      waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${name}` },
    },
    lastState: {
      terminated: {
        exitCode: o.exitCode ?? 1,
        reason: o.reason ?? 'Error',
        startedAt: ago(3),
        finishedAt: ago(2),
        ...(o.message ? { message: o.message } : {}),
      },
    },
  };
}

export function waiting(name: string, reason: string, message?: string): ContainerStatus {
  return {
    name,
    ready: false,
    started: false,
    restartCount: 0,
    state: { waiting: { reason, ...(message ? { message } : {}) } },
  };
}

export interface PodOptions {
  namespace?: string;
  labels?: Labels;
  owner?: { kind: string; name: string };
  containers?: Container[];
  initContainers?: Container[];
  statuses?: ContainerStatus[];
  initStatuses?: ContainerStatus[];
  phase?: string;
  conditions?: Condition[];
  nodeName?: string;
  podIP?: string;
  spec?: Partial<PodSpec>;
  status?: Partial<NonNullable<Pod['status']>>;
}

export function pod(name: string, o: PodOptions = {}): Pod {
  const containers = o.containers ?? [container('app')];
  const statuses = o.statuses ?? containers.map((c) => running(c.name));
  const ready = statuses.every((s) => s.ready);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, o.namespace ?? NS, {
      labels: o.labels ?? { app: 'web' },
      ...(o.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: o.owner.kind,
                name: o.owner.name,
                controller: true,
                blockOwnerDeletion: true,
                uid: 'owner',
              },
            ],
          }
        : {}),
    }),
    spec: {
      containers,
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      nodeName: o.nodeName ?? 'node-a',
      restartPolicy: 'Always',
      serviceAccountName: 'default',
      ...o.spec,
    },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.conditions ?? [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ago(600) },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(600) },
      ],
      containerStatuses: statuses,
      ...(o.initStatuses ? { initContainerStatuses: o.initStatuses } : {}),
      podIP: o.podIP ?? '10.0.0.10',
      hostIP: '10.1.0.1',
      startTime: ago(600),
      qosClass: 'Burstable',
      ...o.status,
    },
  };
}

export function template(
  labels: Labels,
  containers: Container[] = [container('app')],
  spec: Partial<PodSpec> = {},
): PodTemplateSpec {
  return { metadata: { labels }, spec: { containers, ...spec } };
}

export function deployment(
  name: string,
  o: {
    namespace?: string;
    replicas?: number;
    ready?: number;
    labels?: Labels;
    template?: PodTemplateSpec;
    conditions?: NonNullable<Deployment['status']>['conditions'];
    annotations?: Labels;
  } = {},
): Deployment {
  const labels = o.labels ?? { app: name };
  const replicas = o.replicas ?? 2;
  const ready = o.ready ?? replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, o.namespace ?? NS, {
      generation: 3,
      ...(o.annotations ? { annotations: o.annotations } : {}),
    }),
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: o.template ?? template(labels),
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 3,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(ready < replicas ? { unavailableReplicas: replicas - ready } : {}),
      conditions: o.conditions ?? [
        {
          type: 'Available',
          status: ready >= replicas ? 'True' : 'False',
          reason: 'MinimumReplicasAvailable',
          lastUpdateTime: ago(120),
          lastTransitionTime: ago(120),
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          lastUpdateTime: ago(120),
          lastTransitionTime: ago(120),
        },
      ],
    },
  };
}

export function replicaSet(
  name: string,
  o: {
    namespace?: string;
    deployment?: string;
    revision?: number;
    template?: PodTemplateSpec;
    replicas?: number;
    ready?: number;
    createdMinutesAgo?: number;
    hash?: string;
    conditions?: NonNullable<ReplicaSet['status']>['conditions'];
  },
): ReplicaSet {
  const replicas = o.replicas ?? 2;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(name, o.namespace ?? NS, {
      creationTimestamp: ago(o.createdMinutesAgo ?? 60 * 24),
      labels: {
        ...(o.template?.metadata?.labels ?? {}),
        'pod-template-hash': o.hash ?? name.split('-').pop()!,
      },
      annotations: {
        'deployment.kubernetes.io/revision': String(o.revision ?? 1),
        'deployment.kubernetes.io/desired-replicas': String(replicas),
      },
      ...(o.deployment
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'Deployment', name: o.deployment, controller: true, uid: 'd' },
            ],
          }
        : {}),
    }),
    spec: { replicas, selector: { matchLabels: o.template?.metadata?.labels ?? {} }, template: o.template },
    status: {
      replicas: o.ready ?? replicas,
      readyReplicas: o.ready ?? replicas,
      availableReplicas: o.ready ?? replicas,
      ...(o.conditions ? { conditions: o.conditions } : {}),
    },
  };
}

export function service(
  name: string,
  o: { namespace?: string; selector?: Labels; ports?: Service['spec']['ports']; clusterIP?: string } = {},
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, o.namespace ?? NS),
    spec: {
      type: 'ClusterIP',
      clusterIP: o.clusterIP ?? '10.96.0.50',
      selector: o.selector ?? { app: name },
      ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

export function endpoints(
  name: string,
  o: { namespace?: string; ready?: string[]; notReady?: string[] } = {},
): Endpoints {
  const address = (p: string, i: number) => ({
    ip: `10.0.1.${i + 1}`,
    targetRef: { kind: 'Pod', name: p, namespace: o.namespace ?? NS },
  });
  const subset = {
    ...(o.ready?.length ? { addresses: o.ready.map(address) } : {}),
    ...(o.notReady?.length ? { notReadyAddresses: o.notReady.map(address) } : {}),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta(name, o.namespace ?? NS),
    ...(o.ready?.length || o.notReady?.length ? { subsets: [subset] } : {}),
  };
}

export function event(
  involved: { kind: string; name: string; namespace?: string; fieldPath?: string },
  reason: string,
  message: string,
  o: { type?: string; count?: number; minutesAgo?: number; firstMinutesAgo?: number } = {},
): KubeEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta(`${involved.name}.${(uid + 1).toString(16)}`, involved.namespace ?? NS),
    involvedObject: { namespace: involved.namespace ?? NS, ...involved },
    reason,
    message,
    type: o.type ?? 'Warning',
    count: o.count ?? 1,
    firstTimestamp: ago(o.firstMinutesAgo ?? o.minutesAgo ?? 5),
    lastTimestamp: ago(o.minutesAgo ?? 1),
    source: { component: 'kubelet', host: 'node-a' },
  };
}

export function node(
  name: string,
  o: {
    conditions?: NonNullable<Node['status']>['conditions'];
    allocatable?: Record<string, string>;
    labels?: Labels;
    taints?: NonNullable<Node['spec']>['taints'];
    unschedulable?: boolean;
  } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(name, undefined, { labels: { 'kubernetes.io/hostname': name, ...o.labels } }),
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: o.allocatable ?? { cpu: '4', memory: '16Gi', pods: '110' },
      capacity: o.allocatable ?? { cpu: '4', memory: '16Gi', pods: '110' },
      conditions: o.conditions ?? [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
    },
  };
}

export function log(
  podName: string,
  containerName: string,
  lines: string[],
  previous = false,
  namespace = NS,
): ContainerLog {
  return { namespace, pod: podName, container: containerName, previous, lines, truncated: false };
}

export function snapshot(
  objects: Partial<SnapshotObjects>,
  extra: Partial<Omit<ClusterSnapshot, 'objects'>> = {},
): ClusterSnapshot {
  return createSnapshot({ capturedAt: NOW, namespaces: [NS], objects, ...extra });
}

/** A Deployment with its ReplicaSet and pods wired by owner references and labels. */
export function workload(
  name: string,
  pods: ((owner: { kind: string; name: string }, labels: Labels) => Pod)[],
  o: { replicas?: number; ready?: number } = {},
) {
  const labels = { app: name };
  const rsName = `${name}-5d4f8c7b9`;
  const tpl = template(labels);
  const builtPods = pods.map((make) =>
    make({ kind: 'ReplicaSet', name: rsName }, { ...labels, 'pod-template-hash': '5d4f8c7b9' }),
  );
  return {
    deployment: deployment(name, {
      labels,
      template: tpl,
      replicas: o.replicas ?? builtPods.length,
      ready: o.ready,
    }),
    replicaSet: replicaSet(rsName, {
      deployment: name,
      template: tpl,
      revision: 1,
      replicas: o.replicas ?? builtPods.length,
      hash: '5d4f8c7b9',
    }),
    pods: builtPods,
  };
}

export function ingressOf(name: string, backend: string, namespace = NS): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: `${name}.example.com`,
          http: { paths: [{ path: '/', backend: { service: { name: backend, port: { number: 80 } } } }] },
        },
      ],
    },
  };
}
