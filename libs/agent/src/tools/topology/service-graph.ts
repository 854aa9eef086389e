// service_graph and blast_radius: who calls whom, read from the cluster (env vars and ConfigMaps
// naming Service hosts, Service selectors, Ingress backends), and everything that suffers when one
// workload or Service breaks: its callers, their callers, and the Ingresses in front of them.
import { type ObjectRef } from '@foxhound/contracts';
import { lookup, serviceGraph } from '@foxhound/diagnostics';
import { z } from 'zod';
import { type ToolContext } from '../context';
import { defineTool, noData, ok } from '../define';
import { nameParam, namespaceParam } from '../kubernetes/params';

const ref = (r: ObjectRef): string => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** The namespace plus the turn's scope, so cross-namespace callers are seen. */
async function graphFor(ctx: ToolContext, namespace: string) {
  const namespaces = [...new Set([namespace, ...ctx.turn.scope])];
  const l = lookup(await ctx.cluster.snapshot(namespaces));
  return { l, graph: serviceGraph(l) };
}

export const serviceGraphTool = defineTool({
  name: 'service_graph',
  description:
    'The dependency graph of a namespace: for each workload, the Services that route to it, the Services it calls (from env vars and ConfigMaps) and who calls it. Use to follow a failing call to its dependency.',
  params: z.object({ namespace: namespaceParam }),
  summary: (p) => `Mapping service dependencies in ${p.namespace}`,
  run: async (p, ctx) => {
    const { l, graph } = await graphFor(ctx, p.namespace);
    const workloads: ObjectRef[] = [
      ...l
        .list('deployments')
        .map((d) => ({ kind: 'Deployment', namespace: d.metadata.namespace, name: d.metadata.name })),
      ...l
        .list('statefulSets')
        .map((s) => ({ kind: 'StatefulSet', namespace: s.metadata.namespace, name: s.metadata.name })),
      ...l
        .list('daemonSets')
        .map((s) => ({ kind: 'DaemonSet', namespace: s.metadata.namespace, name: s.metadata.name })),
    ].filter((w) => w.namespace === p.namespace);
    if (workloads.length === 0)
      return noData(`No workloads in ${p.namespace}.`, `No workloads in ${p.namespace}`);
    let edges = 0;
    const lines = workloads.map((w) => {
      const services = graph.servicesOf(w);
      const calls = graph.dependenciesOf(w);
      const callers = services.flatMap((s) => graph.callersOf(s));
      edges += calls.length;
      return [
        `${ref(w)}`,
        `  served by: ${services.map((s) => s.name).join(', ') || '-'}`,
        `  calls: ${calls.map((d) => `${ref(d.service)}${d.port ? `:${d.port}` : ''} (via ${d.via})`).join('; ') || '-'}`,
        `  called by: ${[...new Set(callers.map(ref))].join(', ') || '-'}`,
      ].join('\n');
    });
    return ok(lines.join('\n'), `${workloads.length} workloads, ${edges} dependencies in ${p.namespace}`);
  },
});

export const blastRadius = defineTool({
  name: 'blast_radius',
  description:
    'Everything that suffers when one workload or Service is broken: the Services in front of it, their callers, transitively, and Ingresses. Use to state the impact of a root cause.',
  params: z.object({
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'Service']),
    namespace: namespaceParam,
    name: nameParam,
  }),
  summary: (p) => `Working out the blast radius of ${p.kind} ${p.namespace}/${p.name}`,
  run: async (p, ctx) => {
    const { graph } = await graphFor(ctx, p.namespace);
    const target: ObjectRef = { kind: p.kind, namespace: p.namespace, name: p.name };
    const affected = graph.blastRadius(target);
    if (affected.length === 0) {
      return noData(
        `Nothing in the namespaces read depends on ${ref(target)}.`,
        `Nothing depends on ${ref(target)}`,
        affected,
      );
    }
    return ok(
      affected.map((r) => `- ${ref(r)}`).join('\n'),
      `${affected.length} object(s) depend on ${ref(target)}`,
      affected,
    );
  },
});
