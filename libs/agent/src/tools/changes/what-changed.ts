// what_changed: recent changes to workloads: rollouts (the new ReplicaSet and how its pod template
// differs from the previous revision), scaling, and edits to the ConfigMaps they read, newest first,
// so a failure that began right after a change is pinned on it.
import { changesOf, lookup, rolloutOf, type Change } from '@foxhound/diagnostics';
import { type ObjectRef } from '@foxhound/contracts';
import { z } from 'zod';
import { defineTool, noData, ok } from '../define';
import { age } from '../format';
import { nameParam, namespaceParam } from '../kubernetes/params';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

export const whatChanged = defineTool({
  name: 'what_changed',
  description:
    'What changed recently in a namespace or one workload: rollouts with the pod-template diff between the previous and current revision (image, command, env, resources, probes), scaling, and ConfigMap edits, newest first.',
  params: z.object({
    namespace: namespaceParam,
    kind: z.enum(WORKLOAD_KINDS).optional().describe('Default Deployment when a name is given.'),
    name: nameParam.optional().describe('One workload; omit for every workload in the namespace.'),
    sinceHours: z
      .number()
      .min(0.1)
      .max(24 * 30)
      .optional()
      .describe('Only changes this recent (default 48 hours).'),
  }),
  summary: (p) =>
    `Looking for recent changes ${p.name ? `to ${p.kind ?? 'Deployment'} ${p.namespace}/${p.name}` : `in ${p.namespace}`}`,
  run: async (p, ctx) => {
    const l = lookup(await ctx.cluster.snapshot([p.namespace]));
    const now = ctx.now();
    const since = now.getTime() - (p.sinceHours ?? 48) * 3_600_000;
    const workloads: { ref: ObjectRef; template: Parameters<typeof changesOf>[2] }[] = [];
    for (const d of l.list('deployments'))
      workloads.push({
        ref: { kind: 'Deployment', namespace: d.metadata.namespace, name: d.metadata.name },
        template: d.spec.template,
      });
    for (const s of l.list('statefulSets'))
      workloads.push({
        ref: { kind: 'StatefulSet', namespace: s.metadata.namespace, name: s.metadata.name },
        template: s.spec.template,
      });
    for (const s of l.list('daemonSets'))
      workloads.push({
        ref: { kind: 'DaemonSet', namespace: s.metadata.namespace, name: s.metadata.name },
        template: s.spec.template,
      });
    const selected = workloads.filter(
      (w) =>
        w.ref.namespace === p.namespace &&
        (!p.name || (w.ref.name === p.name && w.ref.kind === (p.kind ?? 'Deployment'))),
    );
    if (selected.length === 0)
      return noData(
        `No ${p.name ? `${p.kind ?? 'Deployment'} ${p.namespace}/${p.name}` : `workloads in ${p.namespace}`} found.`,
        'No workloads to look at',
      );
    const changes: Change[] = selected
      .flatMap((w) => changesOf(l, w.ref, w.template))
      .filter((c) => (Date.parse(c.at) || 0) >= since)
      .sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0));
    const lines: string[] = [];
    for (const w of selected.filter((x) => x.ref.kind === 'Deployment')) {
      const deployment = l.get('deployments', p.namespace, w.ref.name);
      const rollout = deployment && rolloutOf(l, deployment);
      if (!rollout?.previous || (Date.parse(rollout.at ?? '') || 0) < since) continue;
      lines.push(
        `Deployment ${p.namespace}/${w.ref.name}: revision ${rollout.previousRevision} → ${rollout.currentRevision} (${rollout.current.metadata.name}, ${age(rollout.at, now)} ago)`,
        ...rollout.diff.map((d) => `  ${d}`),
      );
    }
    if (changes.length === 0 && lines.length === 0) {
      return noData(
        `No changes in the last ${p.sinceHours ?? 48} hours to ${p.name ?? `workloads in ${p.namespace}`}.`,
        'Nothing changed recently',
      );
    }
    lines.push(
      'Changes, newest first:',
      ...changes.slice(0, 30).map((c) => `  ${age(c.at, now)} ago (${c.at}) ${c.kind}: ${c.what}`),
    );
    const rollouts = changes.filter((c) => c.kind === 'rollout');
    const latest = changes[0];
    const summary = latest
      ? `${changes.length} change(s); latest ${age(latest.at, now)} ago: ${latest.what.slice(0, 120)}`
      : `${rollouts.length} rollout(s)`;
    return ok(lines.join('\n'), summary, changes);
  },
});
