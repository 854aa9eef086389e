// The columns `kubectl get` prints for every kind the agent can read, so a list shows state (ready
// counts, job status, autoscaler targets, policy selectors) and not only NAME and AGE.
import {
  type CronJob,
  type DaemonSet,
  type Deployment,
  type Endpoints,
  type HorizontalPodAutoscaler,
  type Ingress,
  type Job,
  type KubeEvent,
  type KubeObject,
  type LimitRange,
  type NetworkPolicy,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type PodDisruptionBudget,
  type ReplicaSet,
  type ResourceQuota,
  type Service,
  type StatefulSet,
} from '@foxhound/diagnostics';
import { type KindInfo } from '../../cluster/kinds';
import { selectorString } from '../../cluster/selectors';
import { age, eventLine, podReady, podRestarts, podStatus, table } from '../format';

type Row = (o: KubeObject, now: Date) => string[];

interface Columns {
  header: string[];
  row: Row;
}

/** Loose reads of fields the minimal diagnostics types leave out (status.loadBalancer, ...). */
function field(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const key of path.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '0');
const images = (containers: { image?: string }[] | undefined): string =>
  (containers ?? []).map((c) => c.image ?? '?').join(',');
const created: Row = (o, now) => [age(o.metadata.creationTimestamp, now)];
const list = (items: string[], max = 3): string =>
  items.length === 0
    ? '<none>'
    : items.length > max
      ? `${items.slice(0, max).join(',')} + ${items.length - max} more`
      : items.join(',');

export function jobStatus(j: Job): string {
  const c = (t: string) => j.status?.conditions?.some((x) => x.type === t && x.status === 'True');
  if (c('Complete')) return 'Complete';
  if (c('Failed')) return 'Failed';
  if (j.spec.suspend) return 'Suspended';
  return (j.status?.active ?? 0) > 0 ? 'Running' : 'Pending';
}

function jobDuration(j: Job, now: Date): string {
  if (!j.status?.startTime) return '';
  const end = j.status.completionTime ?? now.toISOString();
  return age(j.status.startTime, new Date(end));
}

export function hpaTargets(h: HorizontalPodAutoscaler): string {
  const current = (field(h, 'status.currentMetrics') as Record<string, unknown>[] | undefined) ?? [];
  const specs = (field(h, 'spec.metrics') as Record<string, unknown>[] | undefined) ?? [];
  const parts = specs.map((m, i) => {
    const name = String(field(m, 'resource.name') ?? field(m, 'pods.metric.name') ?? m['type']);
    const target =
      field(m, 'resource.target.averageUtilization') ??
      field(m, 'resource.target.averageValue') ??
      field(m, 'pods.target.averageValue') ??
      '?';
    const now =
      field(current[i], 'resource.current.averageUtilization') ??
      field(current[i], 'resource.current.averageValue') ??
      field(current[i], 'pods.current.averageValue');
    const pct = typeof target === 'number' ? '%' : '';
    return `${name}: ${now === undefined ? '<unknown>' : `${String(now)}${pct}`}/${String(target)}${pct}`;
  });
  return parts.join(', ') || '<none>';
}

const COLUMNS: Partial<Record<KindInfo['kind'], Columns>> = {
  pods: {
    header: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE'],
    row: (o, now) => {
      const p = o as Pod;
      return [
        p.metadata.name,
        podReady(p),
        podStatus(p),
        String(podRestarts(p)),
        ...created(p, now),
        p.spec.nodeName ?? '<none>',
      ];
    },
  },
  deployments: {
    header: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'IMAGES'],
    row: (o, now) => {
      const d = o as Deployment;
      return [
        d.metadata.name,
        `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
        num(d.status?.updatedReplicas),
        num(d.status?.availableReplicas),
        ...created(d, now),
        images(d.spec.template.spec.containers),
      ];
    },
  },
  replicaSets: {
    header: ['NAME', 'DESIRED', 'READY', 'REVISION', 'AGE', 'IMAGES'],
    row: (o, now) => {
      const r = o as ReplicaSet;
      return [
        r.metadata.name,
        String(r.spec.replicas ?? 0),
        num(r.status?.readyReplicas),
        r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?',
        ...created(r, now),
        images(r.spec.template?.spec.containers),
      ];
    },
  },
  statefulSets: {
    header: ['NAME', 'READY', 'SERVICE', 'AGE', 'IMAGES'],
    row: (o, now) => {
      const s = o as StatefulSet;
      return [
        s.metadata.name,
        `${s.status?.readyReplicas ?? 0}/${s.spec.replicas ?? 1}`,
        s.spec.serviceName ?? '<none>',
        ...created(s, now),
        images(s.spec.template.spec.containers),
      ];
    },
  },
  daemonSets: {
    header: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    row: (o, now) => {
      const d = o as DaemonSet;
      const selector = Object.entries(d.spec.template.spec.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`);
      return [
        d.metadata.name,
        num(d.status?.desiredNumberScheduled),
        num(field(d, 'status.currentNumberScheduled')),
        num(d.status?.numberReady),
        num(field(d, 'status.updatedNumberScheduled')),
        num(field(d, 'status.numberAvailable')),
        selector.join(',') || '<none>',
        ...created(d, now),
      ];
    },
  },
  jobs: {
    header: ['NAME', 'STATUS', 'COMPLETIONS', 'FAILED', 'DURATION', 'AGE'],
    row: (o, now) => {
      const j = o as Job;
      return [
        j.metadata.name,
        jobStatus(j),
        `${j.status?.succeeded ?? 0}/${j.spec.completions ?? 1}`,
        num(j.status?.failed),
        jobDuration(j, now),
        ...created(j, now),
      ];
    },
  },
  cronJobs: {
    header: ['NAME', 'SCHEDULE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    row: (o, now) => {
      const c = o as CronJob;
      return [
        c.metadata.name,
        c.spec.schedule,
        String(c.spec.suspend ?? false),
        String(c.status?.active?.length ?? 0),
        c.status?.lastScheduleTime ? `${age(c.status.lastScheduleTime, now)} ago` : '<none>',
        ...created(c, now),
      ];
    },
  },
  services: {
    header: ['NAME', 'TYPE', 'CLUSTER-IP', 'PORTS', 'SELECTOR', 'AGE'],
    row: (o, now) => {
      const s = o as Service;
      return [
        s.metadata.name,
        s.spec.type ?? 'ClusterIP',
        s.spec.type === 'ExternalName' ? (s.spec.externalName ?? '') : (s.spec.clusterIP ?? ''),
        (s.spec.ports ?? [])
          .map(
            (p) => `${p.port}${p.targetPort !== undefined ? `→${p.targetPort}` : ''}/${p.protocol ?? 'TCP'}`,
          )
          .join(','),
        selectorString(s.spec.selector) || '<none>',
        ...created(s, now),
      ];
    },
  },
  endpoints: {
    header: ['NAME', 'ENDPOINTS', 'NOT-READY', 'AGE'],
    row: (o, now) => {
      const e = o as Endpoints;
      const ready = (e.subsets ?? []).flatMap((s) =>
        (s.addresses ?? []).flatMap((a) =>
          s.ports?.length ? s.ports.map((p) => `${a.ip}:${p.port}`) : [a.ip],
        ),
      );
      const notReady = (e.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
      return [e.metadata.name, list(ready), String(notReady), ...created(e, now)];
    },
  },
  ingresses: {
    header: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    row: (o, now) => {
      const i = o as Ingress;
      const lb =
        (field(i, 'status.loadBalancer.ingress') as { ip?: string; hostname?: string }[] | undefined) ?? [];
      return [
        i.metadata.name,
        i.spec.ingressClassName ?? '<none>',
        list((i.spec.rules ?? []).map((r) => r.host ?? '*')),
        lb.map((x) => x.ip ?? x.hostname ?? '').join(',') || '',
        i.spec.tls?.length ? '80, 443' : '80',
        ...created(i, now),
      ];
    },
  },
  ingressClasses: {
    header: ['NAME', 'CONTROLLER', 'AGE'],
    row: (o, now) => [o.metadata.name, String(field(o, 'spec.controller') ?? ''), ...created(o, now)],
  },
  networkPolicies: {
    header: ['NAME', 'POD-SELECTOR', 'TYPES', 'INGRESS-RULES', 'EGRESS-RULES', 'AGE'],
    row: (o, now) => {
      const p = o as NetworkPolicy;
      const types = p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      const rules = (t: 'Ingress' | 'Egress', r: unknown[] | undefined) =>
        types.includes(t) ? String(r?.length ?? 0) : '-';
      return [
        p.metadata.name,
        selectorString(p.spec.podSelector) || '<all pods>',
        types.join(','),
        rules('Ingress', p.spec.ingress),
        rules('Egress', p.spec.egress),
        ...created(p, now),
      ];
    },
  },
  persistentVolumeClaims: {
    header: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'STORAGECLASS', 'AGE'],
    row: (o, now) => {
      const c = o as PersistentVolumeClaim;
      return [
        c.metadata.name,
        c.status?.phase ?? '?',
        c.spec.volumeName ?? '',
        String(c.status?.capacity?.['storage'] ?? ''),
        c.spec.storageClassName ?? '',
        ...created(c, now),
      ];
    },
  },
  persistentVolumes: {
    header: ['NAME', 'CAPACITY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'AGE'],
    row: (o, now) => {
      const v = o as PersistentVolume;
      return [
        v.metadata.name,
        String(v.spec.capacity?.['storage'] ?? ''),
        v.status?.phase ?? '?',
        v.spec.claimRef ? `${v.spec.claimRef.namespace ?? ''}/${v.spec.claimRef.name}` : '',
        v.spec.storageClassName ?? '',
        ...created(v, now),
      ];
    },
  },
  storageClasses: {
    header: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'DEFAULT', 'AGE'],
    row: (o, now) => [
      o.metadata.name,
      String(field(o, 'provisioner') ?? ''),
      String(field(o, 'reclaimPolicy') ?? 'Delete'),
      String(field(o, 'volumeBindingMode') ?? 'Immediate'),
      String(o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'),
      ...created(o, now),
    ],
  },
  configMaps: {
    header: ['NAME', 'DATA', 'AGE'],
    row: (o, now) => [
      o.metadata.name,
      String(
        Object.keys((field(o, 'data') as object) ?? {}).length +
          Object.keys((field(o, 'binaryData') as object) ?? {}).length,
      ),
      ...created(o, now),
    ],
  },
  resourceQuotas: {
    header: ['NAME', 'USED/HARD', 'AGE'],
    row: (o, now) => {
      const q = o as ResourceQuota;
      const hard = q.status?.hard ?? q.spec?.hard ?? {};
      return [
        q.metadata.name,
        Object.entries(hard)
          .map(([k, v]) => `${k}: ${q.status?.used?.[k] ?? 0}/${v}`)
          .join(', '),
        ...created(q, now),
      ];
    },
  },
  limitRanges: {
    header: ['NAME', 'TYPES', 'AGE'],
    row: (o, now) => [
      o.metadata.name,
      (o as LimitRange).spec.limits.map((l) => l.type).join(','),
      ...created(o, now),
    ],
  },
  horizontalPodAutoscalers: {
    header: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
    row: (o, now) => {
      const h = o as HorizontalPodAutoscaler;
      return [
        h.metadata.name,
        `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`,
        hpaTargets(h),
        String(h.spec.minReplicas ?? 1),
        String(h.spec.maxReplicas),
        num(h.status?.currentReplicas),
        ...created(h, now),
      ];
    },
  },
  podDisruptionBudgets: {
    header: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
    row: (o, now) => {
      const p = o as PodDisruptionBudget;
      return [
        p.metadata.name,
        p.spec.minAvailable === undefined ? 'N/A' : String(p.spec.minAvailable),
        p.spec.maxUnavailable === undefined ? 'N/A' : String(p.spec.maxUnavailable),
        num(p.status?.disruptionsAllowed),
        ...created(p, now),
      ];
    },
  },
  namespaces: {
    header: ['NAME', 'STATUS', 'AGE'],
    row: (o, now) => [o.metadata.name, String(field(o, 'status.phase') ?? 'Active'), ...created(o, now)],
  },
  nodes: {
    header: ['NAME', 'READY', 'UNSCHEDULABLE', 'TAINTS', 'AGE', 'PRESSURE'],
    row: (o, now) => {
      const n = o as Node;
      const cond = (t: string) => n.status?.conditions?.find((c) => c.type === t)?.status;
      const pressure = ['MemoryPressure', 'DiskPressure', 'PIDPressure'].filter((t) => cond(t) === 'True');
      return [
        n.metadata.name,
        cond('Ready') ?? 'Unknown',
        String(n.spec?.unschedulable ?? false),
        String(n.spec?.taints?.length ?? 0),
        ...created(n, now),
        pressure.join(',') || '-',
      ];
    },
  },
  events: {
    header: ['EVENT'],
    row: (o, now) => [eventLine(o as KubeEvent, now)],
  },
  validatingWebhookConfigurations: {
    header: ['NAME', 'WEBHOOKS', 'AGE'],
    row: (o, now) => [
      o.metadata.name,
      String((field(o, 'webhooks') as unknown[] | undefined)?.length ?? 0),
      ...created(o, now),
    ],
  },
  mutatingWebhookConfigurations: {
    header: ['NAME', 'WEBHOOKS', 'AGE'],
    row: (o, now) => [
      o.metadata.name,
      String((field(o, 'webhooks') as unknown[] | undefined)?.length ?? 0),
      ...created(o, now),
    ],
  },
};

const DEFAULT: Columns = { header: ['NAME', 'AGE'], row: (o, now) => [o.metadata.name, ...created(o, now)] };

/** A kubectl-style table of `items`, with a NAMESPACE column when they span namespaces. */
export function renderTable(info: KindInfo, items: KubeObject[], now: Date, showNamespace: boolean): string {
  const columns = COLUMNS[info.kind] ?? DEFAULT;
  const namespaced = showNamespace && info.namespaced;
  return table(
    [...(namespaced ? ['NAMESPACE'] : []), ...columns.header],
    items.map((o) => [...(namespaced ? [o.metadata.namespace ?? ''] : []), ...columns.row(o, now)]),
  );
}
