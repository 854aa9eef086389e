// A synthetic cluster for the diagnostics benchmark: N namespaces of M workloads (Deployment,
// ReplicaSet, pods, Service, Endpoints, ConfigMap), a quota and a NetworkPolicy per namespace, events,
// logs for the unhealthy pods, and a sprinkling of the faults the analyzers reason about (crash loops
// with a decisive log line, OOM kills, bad image tags, quota refusals, a selector matching nothing,
// a DNS-blocking policy), so the analysis does real work, not just a walk over healthy objects.
import {
  type ClusterSnapshot,
  type ContainerLog,
  type KubeEvent,
  type Pod,
  createSnapshot,
} from '@foxhound/diagnostics';

export interface ClusterShape {
  namespaces: number;
  workloadsPerNamespace: number;
  podsPerWorkload: number;
  nodes: number;
}

const NOW = Date.parse('2025-10-21T10:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

type Fault = 'crash' | 'oom' | 'image' | 'quota' | 'selector' | 'dns' | undefined;

/** Roughly one workload in twelve is broken, cycling through the fault kinds. */
function faultOf(ns: number, w: number): Fault {
  const faults: Fault[] = ['crash', 'oom', 'image', 'quota', 'selector', 'dns'];
  return (ns * 7 + w) % 12 === 0 ? faults[(ns + w) % faults.length] : undefined;
}

function containerStatus(fault: Fault, image: string) {
  if (fault === 'crash')
    return {
      name: 'app',
      ready: false,
      restartCount: 7,
      image,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(2) } },
    };
  if (fault === 'oom')
    return {
      name: 'app',
      ready: false,
      restartCount: 4,
      image,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: ago(3) } },
    };
  if (fault === 'image')
    return {
      name: 'app',
      ready: false,
      restartCount: 0,
      image,
      state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
    };
  return { name: 'app', ready: true, restartCount: 0, image, state: { running: { startedAt: ago(600) } } };
}

export function syntheticCluster(shape: ClusterShape): ClusterSnapshot {
  const s = createSnapshot({ capturedAt: new Date(NOW).toISOString(), namespaces: [] });
  const o = s.objects;
  const logs: ContainerLog[] = [];
  for (let n = 0; n < shape.nodes; n++) {
    o.nodes.push({
      metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` } },
      status: {
        allocatable: { cpu: '16', memory: '64Gi', pods: '250' },
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  for (let ns = 0; ns < shape.namespaces; ns++) {
    const namespace = `team-${ns}`;
    o.namespaces.push({
      metadata: { name: namespace, labels: { 'kubernetes.io/metadata.name': namespace } },
    });
    o.resourceQuotas.push({
      metadata: { name: 'compute', namespace },
      spec: { hard: { 'requests.memory': '64Gi', pods: '500' } },
      status: {
        hard: { 'requests.memory': '64Gi', pods: '500' },
        used: { 'requests.memory': '20Gi', pods: '100' },
      },
    });
    o.networkPolicies.push({
      metadata: { name: 'allow-same-namespace', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    });
    for (let w = 0; w < shape.workloadsPerNamespace; w++) {
      const fault = faultOf(ns, w);
      const name = `svc-${w}`;
      const labels = { app: name };
      const image = `registry.example.com/${namespace}/${name}:${fault === 'image' ? '2.0.0-typo' : '1.4.2'}`;
      const next = `svc-${(w + 1) % shape.workloadsPerNamespace}`;
      const template = {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [{ name: 'UPSTREAM_URL', value: `http://${next}:80` }],
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
            },
          ],
        },
      };
      const rs = `${name}-7d9c5b8f4d`;
      o.deployments.push({
        metadata: { name, namespace, resourceVersion: '1' },
        spec: { replicas: shape.podsPerWorkload, selector: { matchLabels: labels }, template },
        status: { replicas: shape.podsPerWorkload, readyReplicas: fault ? 0 : shape.podsPerWorkload },
      });
      o.replicaSets.push({
        metadata: {
          name: rs,
          namespace,
          labels: { ...labels, 'pod-template-hash': '7d9c5b8f4d' },
          annotations: { 'deployment.kubernetes.io/revision': '3' },
          ownerReferences: [{ kind: 'Deployment', name, controller: true }],
          creationTimestamp: ago(60 * 24),
        },
        spec: { replicas: shape.podsPerWorkload, selector: { matchLabels: labels }, template },
        status: { replicas: fault === 'quota' ? shape.podsPerWorkload - 2 : shape.podsPerWorkload },
      });
      o.services.push({
        metadata: { name, namespace },
        spec: {
          selector: fault === 'selector' ? { app: `${name}-old` } : labels,
          ports: [{ port: 80, targetPort: 8080 }],
          clusterIP: `10.96.${ns}.${w}`,
        },
      });
      o.configMaps.push({
        metadata: { name: `${name}-config`, namespace },
        data: { LOG_LEVEL: 'info', UPSTREAM: `${next}.${namespace}.svc.cluster.local:80` },
      });
      const ready: { ip: string; targetRef: { kind: string; name: string; namespace: string } }[] = [];
      for (let p = 0; p < shape.podsPerWorkload; p++) {
        const podName = `${rs}-${p.toString(36).padStart(5, 'x')}`;
        const status = containerStatus(fault, image);
        const pod: Pod = {
          metadata: {
            name: podName,
            namespace,
            labels: { ...labels, 'pod-template-hash': '7d9c5b8f4d' },
            ownerReferences: [{ kind: 'ReplicaSet', name: rs, controller: true }],
          },
          spec: { ...template.spec, nodeName: `node-${(ns * 31 + w * 7 + p) % shape.nodes}` },
          status: {
            phase: 'Running',
            podIP: `10.${ns % 250}.${w}.${p}`,
            conditions: [{ type: 'Ready', status: status.ready ? 'True' : 'False' }],
            containerStatuses: [status],
          },
        };
        o.pods.push(pod);
        if (status.ready)
          ready.push({ ip: pod.status!.podIP!, targetRef: { kind: 'Pod', name: podName, namespace } });
        if (fault === 'crash') {
          logs.push({
            namespace,
            pod: podName,
            container: 'app',
            previous: true,
            truncated: false,
            lines: [
              'starting',
              'loading configuration',
              'Error: Missing required environment variable: DATABASE_URL',
            ],
          });
        }
        if (fault === 'dns') {
          logs.push({
            namespace,
            pod: podName,
            container: 'app',
            previous: false,
            truncated: false,
            lines: Array.from(
              { length: 50 },
              (_, i) =>
                `2025-10-21T09:${String(i).padStart(2, '0')}:00Z error dial tcp: lookup ${next} on 10.96.0.10:53: read udp: i/o timeout`,
            ),
          });
        }
      }
      o.endpoints.push({
        metadata: { name, namespace },
        subsets: ready.length && fault !== 'selector' ? [{ addresses: ready, ports: [{ port: 8080 }] }] : [],
      });
      if (fault === 'quota') {
        o.events.push(
          event(
            namespace,
            'ReplicaSet',
            rs,
            'FailedCreate',
            `Error creating: pods "${rs}-x" is forbidden: exceeded quota: compute, requested: requests.memory=256Mi, used: requests.memory=64Gi, limited: requests.memory=64Gi`,
          ),
        );
      }
      if (fault === 'dns') {
        o.networkPolicies.push({
          metadata: { name: `${name}-deny-egress`, namespace },
          spec: { podSelector: { matchLabels: labels }, policyTypes: ['Egress'] },
        });
      }
      if (fault === 'image')
        o.events.push(
          event(
            namespace,
            'Pod',
            `${rs}-xxxx0`,
            'Failed',
            `Failed to pull image "${image}": rpc error: code = NotFound desc = not found`,
          ),
        );
      o.events.push(
        event(
          namespace,
          'Deployment',
          name,
          'ScalingReplicaSet',
          `Scaled up replica set ${rs} to ${shape.podsPerWorkload}`,
          'Normal',
        ),
      );
    }
  }
  s.logs = logs;
  return s;
}

function event(
  namespace: string,
  kind: string,
  name: string,
  reason: string,
  message: string,
  type = 'Warning',
): KubeEvent {
  return {
    metadata: { name: `${name}.${reason}`, namespace },
    involvedObject: { kind, name, namespace },
    reason,
    message,
    type,
    count: 3,
    lastTimestamp: ago(1),
    firstTimestamp: ago(30),
  };
}

/** The snapshot the collector would have produced for one namespace: its objects plus cluster-scoped ones. */
export function namespaceScope(cluster: ClusterSnapshot, namespace: string): ClusterSnapshot {
  const objects = Object.fromEntries(
    Object.entries(cluster.objects).map(([kind, items]) => [
      kind,
      (items as { metadata: { namespace?: string } }[]).filter(
        (x) => !x.metadata.namespace || x.metadata.namespace === namespace,
      ),
    ]),
  ) as unknown as ClusterSnapshot['objects'];
  objects.namespaces = cluster.objects.namespaces.filter((n) => n.metadata.name === namespace);
  return {
    ...cluster,
    namespaces: [namespace],
    objects,
    logs: cluster.logs.filter((l) => l.namespace === namespace),
  };
}
