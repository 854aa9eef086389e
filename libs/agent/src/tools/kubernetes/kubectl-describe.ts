// kubectl_describe: one object the way `kubectl describe` shows it (the spec and status fields that
// explain its state: describe-workloads.ts, describe-resources.ts, any other kind field by field)
// followed by its events, newest first. Events before logs.
import { type Deployment, type KubeEvent, type KubeObject, type Pod } from '@foxhound/diagnostics';
import { z } from 'zod';
import { fieldSelector } from '../../cluster/fields';
import { type KindInfo, resolveKind } from '../../cluster/kinds';
import { type ClusterReader } from '../../cluster/reader';
import { defineTool, noData, ok } from '../define';
import { age, byEventTime, eventLine, nsName, podReady, podStatus } from '../format';
import { describeResource } from './describe-resources';
import { describeWorkload } from './describe-workloads';
import { kindParam, nameParam, namespaceParam } from './params';

const MAX_EVENTS = 15;

export const kubectlDescribe = defineTool({
  name: 'kubectl_describe',
  description:
    'Describe one object of any kind: the spec and status fields that explain its state (containers, restarts and last termination for pods; replicas, revisions, conditions and pods for Deployments, StatefulSets, DaemonSets and Jobs; schedule and last run for CronJobs; metrics and limits for HPAs; every rule of a NetworkPolicy; selector and endpoints for Services) and its events, newest first.',
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
    lines.push(
      ...((await describeWorkload(info, obj, ctx.cluster, now)) ??
        (await describeResource(info, obj, ctx.cluster))),
    );
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
