// kubectl_describe: one object the way `kubectl describe` shows it (the fields that explain its
// state, per kind) followed by its events, newest first. Events before logs.
import {
  type Condition,
  type Container,
  type ContainerStatus,
  type Deployment,
  type KubeEvent,
  type KubeObject,
  type Node,
  type Pod,
  type ReplicaSet,
  type ResourceQuota,
  type Service,
} from '@foxhound/diagnostics';
import { z } from 'zod';
import { fieldSelector } from '../../cluster/fields';
import { type KindInfo, resolveKind } from '../../cluster/kinds';
import { type ClusterReader } from '../../cluster/reader';
import { defineTool, noData, ok } from '../define';
import { age, byEventTime, eventLine, nsName, podReady, podStatus } from '../format';
import { kindParam, nameParam, namespaceParam } from './params';

const MAX_EVENTS = 15;

export const kubectlDescribe = defineTool({
  name: 'kubectl_describe',
  description:
    'Describe one object: the status fields that explain its state (containers, restarts and last termination for pods; replicas, conditions and ReplicaSets for workloads; selector and endpoints for services) and its events, newest first.',
  params: z.object({ kind: kindParam, namespace: namespaceParam.optional(), name: nameParam }),
  summary: (p) => `Describing ${resolveKind(p.kind)!.apiKind} ${nsName(p.namespace, p.name)}`,
  run: async (p, ctx) => {
    const info = resolveKind(p.kind)!;
    const namespace = info.namespaced ? p.namespace : undefined;
    const obj = await ctx.cluster.get(info.kind, p.name, namespace);
    const where = `${info.apiKind} ${nsName(namespace, p.name)}`;
    if (!obj) return noData(`${where} not found.`, `${where} not found`);
    const now = ctx.now();
    const lines = [
      `${info.apiKind}: ${nsName(namespace, p.name)}`,
      `Created: ${age(obj.metadata.creationTimestamp, now)} ago`,
    ];
    const labels = Object.entries(obj.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    if (labels.length) lines.push(`Labels: ${labels.join(', ')}`);
    const owner =
      obj.metadata.ownerReferences?.find((o) => o.controller) ?? obj.metadata.ownerReferences?.[0];
    if (owner) lines.push(`Controlled by: ${owner.kind}/${owner.name}`);
    lines.push(...(await details(info, obj, ctx.cluster, now)));
    const events = await eventsFor(ctx.cluster, info, obj);
    lines.push('', `Events (${events.length}${events.length > MAX_EVENTS ? `, newest ${MAX_EVENTS}` : ''}):`);
    lines.push(
      ...(events.length
        ? events.slice(0, MAX_EVENTS).map((e) => `  ${eventLine(e, now, false)}`)
        : ['  <none>']),
    );
    const warnings = events.filter((e) => e.type === 'Warning').length;
    return ok(
      lines.join('\n'),
      `${where}: ${headline(info, obj)}${warnings ? `, ${warnings} warning events` : ''}`,
      { object: obj, events },
    );
  },
});

export async function eventsFor(
  cluster: ClusterReader,
  info: KindInfo,
  obj: KubeObject,
): Promise<KubeEvent[]> {
  const selector = fieldSelector({
    'involvedObject.kind': info.apiKind,
    'involvedObject.name': obj.metadata.name,
  });
  const events = (await cluster.list('events', {
    namespace: obj.metadata.namespace ?? 'default',
    fieldSelector: selector,
  })) as KubeEvent[];
  return events
    .filter(
      (e) =>
        e.involvedObject.name === obj.metadata.name &&
        (e.involvedObject.kind ?? info.apiKind) === info.apiKind,
    )
    .sort(byEventTime);
}

function headline(info: KindInfo, obj: KubeObject): string {
  if (info.kind === 'pods') return `${podStatus(obj as Pod)}, ${podReady(obj as Pod)} ready`;
  if (info.kind === 'deployments') {
    const d = obj as Deployment;
    return `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1} ready`;
  }
  return 'described';
}

function conditionLines(conditions: Condition[] | undefined): string[] {
  if (!conditions?.length) return [];
  return [
    'Conditions:',
    ...conditions.map(
      (c) => `  ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
    ),
  ];
}

function containerLines(c: Container, status: ContainerStatus | undefined, now: Date): string[] {
  const out = [`  ${c.name}:`, `    Image: ${c.image ?? '?'}`];
  if (c.command?.length) out.push(`    Command: ${c.command.join(' ')}`);
  if (c.args?.length) out.push(`    Args: ${c.args.join(' ')}`);
  if (c.ports?.length)
    out.push(
      `    Ports: ${c.ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ')}`,
    );
  if (status) {
    const s = status.state;
    const state = s?.waiting
      ? `Waiting (${s.waiting.reason ?? '?'})${s.waiting.message ? `: ${s.waiting.message}` : ''}`
      : s?.terminated
        ? `Terminated (${s.terminated.reason ?? '?'}, exit ${s.terminated.exitCode})`
        : s?.running
          ? `Running since ${age(s.running.startedAt, now)} ago`
          : 'Unknown';
    out.push(`    State: ${state}`);
    const last = status.lastState?.terminated;
    if (last)
      out.push(
        `    Last state: Terminated (${last.reason ?? '?'}, exit ${last.exitCode}${last.finishedAt ? `, ${age(last.finishedAt, now)} ago` : ''})${last.message ? `: ${last.message}` : ''}`,
      );
    out.push(`    Ready: ${status.ready}  Restarts: ${status.restartCount}`);
  }
  const r = c.resources;
  if (r?.requests || r?.limits) {
    const fmt = (l: Record<string, string | number> | undefined) =>
      Object.entries(l ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '-';
    out.push(`    Requests: ${fmt(r.requests)}  Limits: ${fmt(r.limits)}`);
  }
  for (const [kind, probe] of [
    ['Liveness', c.livenessProbe],
    ['Readiness', c.readinessProbe],
    ['Startup', c.startupProbe],
  ] as const) {
    if (!probe) continue;
    const target = probe.httpGet
      ? `http-get ${probe.httpGet.path ?? '/'} port ${probe.httpGet.port}`
      : probe.tcpSocket
        ? `tcp port ${probe.tcpSocket.port}`
        : probe.grpc
          ? `grpc port ${probe.grpc.port}`
          : `exec ${(probe.exec?.command ?? []).join(' ')}`;
    out.push(
      `    ${kind}: ${target} delay=${probe.initialDelaySeconds ?? 0}s period=${probe.periodSeconds ?? 10}s failures=${probe.failureThreshold ?? 3}`,
    );
  }
  const env = (c.env ?? []).map((e) => {
    if (e.valueFrom?.configMapKeyRef)
      return `${e.name} from ConfigMap ${e.valueFrom.configMapKeyRef.name}.${e.valueFrom.configMapKeyRef.key}`;
    if (e.valueFrom?.secretKeyRef)
      return `${e.name} from Secret ${e.valueFrom.secretKeyRef.name}.${e.valueFrom.secretKeyRef.key}`;
    if (e.valueFrom) return `${e.name} from ${Object.keys(e.valueFrom)[0]}`;
    return `${e.name}=${(e.value ?? '').slice(0, 80)}`;
  });
  if (env.length) out.push(`    Env: ${env.join('; ')}`);
  for (const f of c.envFrom ?? [])
    out.push(
      `    EnvFrom: ${f.configMapRef ? `ConfigMap ${f.configMapRef.name}` : `Secret ${f.secretRef?.name}`}`,
    );
  return out;
}

async function details(
  info: KindInfo,
  obj: KubeObject,
  cluster: ClusterReader,
  now: Date,
): Promise<string[]> {
  switch (info.kind) {
    case 'pods': {
      const pod = obj as Pod;
      const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
      const inits = new Map((pod.status?.initContainerStatuses ?? []).map((s) => [s.name, s]));
      return [
        `Node: ${pod.spec.nodeName ?? '<unscheduled>'}`,
        `Status: ${podStatus(pod)} (phase ${pod.status?.phase ?? '?'})${pod.status?.message ? `: ${pod.status.message}` : ''}`,
        ...conditionLines(pod.status?.conditions?.filter((c) => c.status !== 'True')),
        ...(pod.spec.initContainers?.length
          ? [
              'Init containers:',
              ...pod.spec.initContainers.flatMap((c) => containerLines(c, inits.get(c.name), now)),
            ]
          : []),
        'Containers:',
        ...pod.spec.containers.flatMap((c) => containerLines(c, statuses.get(c.name), now)),
      ];
    }
    case 'deployments': {
      const d = obj as Deployment;
      const sets = ((await cluster.list('replicaSets', { namespace: d.metadata.namespace })) as ReplicaSet[])
        .filter((rs) =>
          rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === d.metadata.name),
        )
        .sort((a, b) => revision(b) - revision(a));
      const st = d.status ?? {};
      return [
        `Replicas: ${d.spec.replicas ?? 1} desired, ${st.updatedReplicas ?? 0} updated, ${st.readyReplicas ?? 0} ready, ${st.availableReplicas ?? 0} available, ${st.unavailableReplicas ?? 0} unavailable`,
        `Revision: ${d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}${d.spec.paused ? ' (paused)' : ''}`,
        ...conditionLines(st.conditions),
        'Pod template:',
        ...d.spec.template.spec.containers.flatMap((c) => containerLines(c, undefined, now)),
        `ReplicaSets (newest first):`,
        ...sets
          .slice(0, 5)
          .map(
            (rs) =>
              `  ${rs.metadata.name} revision ${revision(rs)}: ${rs.status?.readyReplicas ?? 0}/${rs.spec.replicas ?? 0} ready, ${(rs.spec.template?.spec.containers ?? []).map((c) => c.image).join(',')}, created ${age(rs.metadata.creationTimestamp, now)} ago`,
          ),
      ];
    }
    case 'replicaSets': {
      const rs = obj as ReplicaSet;
      return [
        `Replicas: ${rs.spec.replicas ?? 0} desired, ${rs.status?.replicas ?? 0} current, ${rs.status?.readyReplicas ?? 0} ready`,
        `Revision: ${revision(rs)}`,
        ...conditionLines(rs.status?.conditions),
      ];
    }
    case 'services': {
      const s = obj as Service;
      const ep = await cluster.get('endpoints', s.metadata.name, s.metadata.namespace);
      const subsets =
        (ep as { subsets?: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] } | undefined)
          ?.subsets ?? [];
      const ready = subsets.reduce((n, x) => n + (x.addresses?.length ?? 0), 0);
      const notReady = subsets.reduce((n, x) => n + (x.notReadyAddresses?.length ?? 0), 0);
      return [
        `Type: ${s.spec.type ?? 'ClusterIP'}  ClusterIP: ${s.spec.clusterIP ?? ''}`,
        `Selector: ${
          Object.entries(s.spec.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',') || '<none>'
        }`,
        `Ports: ${(s.spec.ports ?? []).map((p) => `${p.name ? `${p.name} ` : ''}${p.port}→${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`).join(', ')}`,
        `Endpoints: ${ready} ready, ${notReady} not ready${ep ? '' : ' (no Endpoints object)'}`,
      ];
    }
    case 'nodes': {
      const n = obj as Node;
      const fmt = (l: Record<string, string | number> | undefined) =>
        Object.entries(l ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(', ');
      return [
        ...conditionLines(n.status?.conditions),
        `Taints: ${(n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || '<none>'}`,
        `Unschedulable: ${n.spec?.unschedulable ?? false}`,
        `Allocatable: ${fmt(n.status?.allocatable)}`,
      ];
    }
    case 'resourceQuotas': {
      const q = obj as ResourceQuota;
      const hard = q.status?.hard ?? q.spec?.hard ?? {};
      return [
        'Resource  Used  Hard',
        ...Object.entries(hard).map(([k, v]) => `  ${k}  ${q.status?.used?.[k] ?? 0}  ${v}`),
      ];
    }
    default: {
      const status = (obj as { status?: { conditions?: Condition[] } }).status;
      return conditionLines(status?.conditions);
    }
  }
}

const revision = (rs: ReplicaSet): number =>
  Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;
