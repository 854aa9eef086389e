// kubectl_top: resource use per pod and container against requests and limits: live usage from the
// metrics API (metrics-server) and, when the snapshot carries cAdvisor series, peak memory and the
// share of CPU periods the kernel throttled. Says so plainly when neither source exists.
import {
  cpuThrottling,
  formatQuantity,
  lookup,
  memoryUsage,
  parseQuantity,
  type Pod,
  type PodMetrics,
} from '@foxhound/diagnostics';
import { z } from 'zod';
import { defineTool, noData, ok } from '../define';
import { table } from '../format';
import { nameParam, namespaceParam } from './params';

export const kubectlTop = defineTool({
  name: 'kubectl_top',
  description:
    'Resource use of pods against their requests and limits: CPU and memory now (metrics API), peak memory and CPU throttling when metric series exist. Use for OOMKilled, latency under load, and throttling.',
  params: z.object({
    namespace: namespaceParam,
    pod: nameParam.optional().describe('One pod, or omit for every pod in the namespace.'),
  }),
  summary: (p) => `Reading resource use ${p.pod ? `of ${p.namespace}/${p.pod}` : `in ${p.namespace}`}`,
  run: async (p, ctx) => {
    const [metrics, pods, snapshot] = await Promise.all([
      ctx.cluster.podMetrics(p.namespace),
      ctx.cluster.list('pods', { namespace: p.namespace }) as Promise<Pod[]>,
      ctx.cluster.snapshot([p.namespace]),
    ]);
    const l = lookup(snapshot);
    const selected = pods.filter((pod) => !p.pod || pod.metadata.name === p.pod);
    const byPod = new Map((metrics ?? []).map((m: PodMetrics) => [m.metadata.name, m]));
    const rows: string[][] = [];
    const hot: string[] = [];
    for (const pod of selected) {
      for (const c of pod.spec.containers) {
        const usage = byPod.get(pod.metadata.name)?.containers.find((x) => x.name === c.name)?.usage;
        const mem = memoryUsage(l, p.namespace, pod.metadata.name, c.name);
        const throttle = cpuThrottling(l, p.namespace, pod.metadata.name, c.name);
        if (!usage && !mem && !throttle) continue;
        const cpuLimit = parseQuantity(c.resources?.limits?.cpu);
        const memLimit = parseQuantity(c.resources?.limits?.memory);
        const cpuNow = parseQuantity(usage?.cpu);
        const memNow = parseQuantity(usage?.memory) ?? mem?.current;
        const pct = (v: number | undefined, of: number | undefined) =>
          v !== undefined && of ? ` (${Math.round((v / of) * 100)}% of limit)` : '';
        rows.push([
          `${pod.metadata.name}/${c.name}`,
          cpuNow !== undefined ? `${formatQuantity('cpu', cpuNow)}${pct(cpuNow, cpuLimit)}` : '-',
          `${c.resources?.requests?.cpu ?? '-'}/${c.resources?.limits?.cpu ?? '-'}`,
          memNow !== undefined ? `${formatQuantity('memory', memNow)}${pct(memNow, memLimit)}` : '-',
          mem?.peak !== undefined ? formatQuantity('memory', mem.peak) : '-',
          `${c.resources?.requests?.memory ?? '-'}/${c.resources?.limits?.memory ?? '-'}`,
          throttle ? `${Math.round(throttle.ratio * 100)}%` : '-',
        ]);
        if (throttle && throttle.ratio >= 0.25)
          hot.push(
            `${pod.metadata.name}/${c.name} throttled ${Math.round(throttle.ratio * 100)}% of CPU periods`,
          );
        if (memLimit && (mem?.peak ?? memNow ?? 0) >= 0.9 * memLimit)
          hot.push(
            `${pod.metadata.name}/${c.name} memory at ${Math.round(((mem?.peak ?? memNow)! / memLimit) * 100)}% of its limit`,
          );
      }
    }
    if (rows.length === 0) {
      const why =
        metrics === undefined
          ? 'the metrics API (metrics.k8s.io) is not installed and no metric series were collected'
          : 'no usage was reported for these pods';
      ctx.turn.blindSpot(`resource usage in ${p.namespace}: ${why}`);
      return noData(
        `No resource usage for ${p.pod ?? `pods in ${p.namespace}`}: ${why}. Try prometheus_query if it is configured.`,
        `No usage data: ${why}`,
      );
    }
    const text = table(
      ['POD/CONTAINER', 'CPU NOW', 'CPU REQ/LIM', 'MEM NOW', 'MEM PEAK', 'MEM REQ/LIM', 'THROTTLED'],
      rows,
    );
    return ok(
      hot.length ? `${text}\n\nHot: ${hot.join('; ')}.` : text,
      hot.length ? hot.slice(0, 2).join('; ') : `${rows.length} container(s) within limits`,
      rows,
    );
  },
});
