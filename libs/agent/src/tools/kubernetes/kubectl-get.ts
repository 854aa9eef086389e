// kubectl_get: lists objects of one kind (a kubectl-style table with the columns that matter for
// that kind) or reads one object by name (its manifest without managedFields).
import {
  type Deployment,
  type KubeObject,
  type Node,
  type PersistentVolumeClaim,
  type Pod,
  type ReplicaSet,
  type Service,
} from '@foxhound/diagnostics';
import { z } from 'zod';
import { type KindInfo, resolveKind } from '../../cluster/kinds';
import { defineTool, noData, ok } from '../define';
import { age, nsName, podReady, podRestarts, podStatus, table } from '../format';
import { kindParam, labelSelectorParam, nameParam, namespaceParam } from './params';

const DEFAULT_LIMIT = 100;

export const kubectlGet = defineTool({
  name: 'kubectl_get',
  description:
    'List objects of one kind (optionally in one namespace, filtered by labels) as a table, or read one object by name as JSON. Start here to see what exists; use kubectl_describe for one object with its events.',
  params: z.object({
    kind: kindParam,
    namespace: namespaceParam.optional(),
    name: nameParam.optional(),
    labelSelector: labelSelectorParam.optional(),
    limit: z
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .describe(`At most this many rows (default ${DEFAULT_LIMIT}).`),
  }),
  summary: (p) =>
    p.name
      ? `Reading ${resolveKind(p.kind)!.apiKind} ${nsName(p.namespace, p.name)}`
      : `Listing ${resolveKind(p.kind)!.apiKind}s${p.namespace ? ` in ${p.namespace}` : ''}${p.labelSelector ? ` (${p.labelSelector})` : ''}`,
  run: async (p, ctx) => {
    const info = resolveKind(p.kind)!;
    const namespace = info.namespaced ? p.namespace : undefined;
    if (p.name) {
      const obj = await ctx.cluster.get(info.kind, p.name, namespace);
      if (!obj)
        return noData(
          `${info.apiKind} ${nsName(namespace, p.name)} not found.`,
          `${info.apiKind} ${nsName(namespace, p.name)} not found`,
        );
      return ok(
        JSON.stringify(withoutNoise(obj), null, 1),
        `Read ${info.apiKind} ${nsName(namespace, p.name)}`,
        obj,
      );
    }
    const limit = p.limit ?? DEFAULT_LIMIT;
    const items = await ctx.cluster.list(info.kind, {
      namespace,
      labelSelector: p.labelSelector,
      limit: limit + 1,
    });
    const where = namespace ? ` in ${namespace}` : info.namespaced ? ' in all namespaces' : '';
    if (items.length === 0)
      return noData(`No ${info.apiKind}s${where}.`, `No ${info.apiKind}s${where}`, items);
    const shown = items.slice(0, limit);
    const more = items.length > limit ? `\n(more than ${limit}; narrow with namespace or labelSelector)` : '';
    const text = render(info, shown, ctx.now(), namespace === undefined && info.namespaced) + more;
    return ok(
      text,
      `${items.length > limit ? `>${limit}` : items.length} ${info.apiKind}s${where}${summaryTail(info, shown)}`,
      shown,
    );
  },
});

/** The manifest as an engineer wants to read it: no managedFields or last-applied blobs. */
export function withoutNoise(obj: KubeObject): KubeObject {
  const annotations = { ...obj.metadata.annotations };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const { managedFields: _managed, ...metadata } = obj.metadata;
  return {
    ...obj,
    metadata: { ...metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
  } as KubeObject;
}

function summaryTail(info: KindInfo, items: KubeObject[]): string {
  if (info.kind === 'pods') {
    const unhealthy = (items as Pod[]).filter(
      (p) =>
        !['Running', 'Completed', 'Succeeded'].includes(podStatus(p)) ||
        podReady(p).split('/')[0] !== podReady(p).split('/')[1],
    );
    return unhealthy.length ? `, ${unhealthy.length} not ready or failing` : ', all running';
  }
  if (info.kind === 'deployments') {
    const short = (items as Deployment[]).filter(
      (d) => (d.status?.readyReplicas ?? 0) < (d.spec.replicas ?? 1),
    );
    return short.length ? `, ${short.length} below desired replicas` : '';
  }
  return '';
}

function render(info: KindInfo, items: KubeObject[], now: Date, showNamespace: boolean): string {
  const ns = (o: KubeObject) => (showNamespace ? [o.metadata.namespace ?? ''] : []);
  const head = (cols: string[]) => [...(showNamespace ? ['NAMESPACE'] : []), ...cols];
  const created = (o: KubeObject) => age(o.metadata.creationTimestamp, now);
  switch (info.kind) {
    case 'pods':
      return table(
        head(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE']),
        (items as Pod[]).map((p) => [
          ...ns(p),
          p.metadata.name,
          podReady(p),
          podStatus(p),
          String(podRestarts(p)),
          created(p),
          p.spec.nodeName ?? '<none>',
        ]),
      );
    case 'deployments':
      return table(
        head(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'IMAGES']),
        (items as Deployment[]).map((d) => [
          ...ns(d),
          d.metadata.name,
          `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
          String(d.status?.updatedReplicas ?? 0),
          String(d.status?.availableReplicas ?? 0),
          created(d),
          d.spec.template.spec.containers.map((c) => c.image ?? '?').join(','),
        ]),
      );
    case 'replicaSets':
      return table(
        head(['NAME', 'DESIRED', 'READY', 'REVISION', 'AGE', 'IMAGES']),
        (items as ReplicaSet[]).map((r) => [
          ...ns(r),
          r.metadata.name,
          String(r.spec.replicas ?? 0),
          String(r.status?.readyReplicas ?? 0),
          r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?',
          created(r),
          (r.spec.template?.spec.containers ?? []).map((c) => c.image ?? '?').join(','),
        ]),
      );
    case 'services':
      return table(
        head(['NAME', 'TYPE', 'CLUSTER-IP', 'PORTS', 'SELECTOR', 'AGE']),
        (items as Service[]).map((s) => [
          ...ns(s),
          s.metadata.name,
          s.spec.type ?? 'ClusterIP',
          s.spec.clusterIP ?? '',
          (s.spec.ports ?? [])
            .map(
              (p) =>
                `${p.port}${p.targetPort !== undefined ? `→${p.targetPort}` : ''}/${p.protocol ?? 'TCP'}`,
            )
            .join(','),
          Object.entries(s.spec.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',') || '<none>',
          created(s),
        ]),
      );
    case 'nodes':
      return table(
        ['NAME', 'READY', 'UNSCHEDULABLE', 'AGE', 'PRESSURE'],
        (items as Node[]).map((n) => {
          const cond = (t: string) => n.status?.conditions?.find((c) => c.type === t)?.status;
          const pressure = ['MemoryPressure', 'DiskPressure', 'PIDPressure']
            .filter((t) => cond(t) === 'True')
            .join(',');
          return [
            n.metadata.name,
            cond('Ready') ?? 'Unknown',
            String(n.spec?.unschedulable ?? false),
            created(n),
            pressure || '-',
          ];
        }),
      );
    case 'persistentVolumeClaims':
      return table(
        head(['NAME', 'STATUS', 'VOLUME', 'STORAGECLASS', 'AGE']),
        (items as PersistentVolumeClaim[]).map((c) => [
          ...ns(c),
          c.metadata.name,
          c.status?.phase ?? '?',
          c.spec.volumeName ?? '',
          c.spec.storageClassName ?? '',
          created(c),
        ]),
      );
    default:
      return table(
        head(['NAME', 'AGE']),
        items.map((o) => [...ns(o), o.metadata.name, created(o)]),
      );
  }
}
