// Resource usage analyzer: workloads throttled by their CPU limit (with more replicas proposed when
// no autoscaler owns the count) and containers whose memory use is close to their limit, from
// PodMetrics and cAdvisor series when the snapshot has them. Replicas of one workload with the same
// problem make one finding.
import { type Finding, type ObjectRef, type SuggestedAction } from '@foxhound/contracts';
import { containersWithSeries, cpuThrottling, memoryUsage } from '../causes/usage';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Pod } from '../snapshot';
import { suggestScale } from '../suggestions';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { formatBytes, parseQuantity } from '../util/quantity';
import { describeRef, refKey, refOf } from '../util/refs';
import { type Analyzer } from './types';

/** Throttled in more than this share of CFS periods: latency suffers visibly. */
const THROTTLE_RATIO = 0.25;
const MEMORY_NEAR_LIMIT = 0.9;

interface Observation {
  pod: Pod;
  container: string;
  /** Throttle ratio, or memory use / limit. */
  value: number;
  detail: string;
  limit: string;
}

function targets(l: Lookup): { namespace: string; pod: string; container: string }[] {
  const seen = new Map<string, { namespace: string; pod: string; container: string }>();
  for (const t of containersWithSeries(l)) seen.set(`${t.namespace}/${t.pod}/${t.container}`, t);
  for (const m of l.snapshot.podMetrics) {
    const namespace = m.metadata.namespace ?? 'default';
    if (!l.inScope(namespace)) continue;
    for (const c of m.containers)
      seen.set(`${namespace}/${m.metadata.name}/${c.name}`, {
        namespace,
        pod: m.metadata.name,
        container: c.name,
      });
  }
  return [...seen.values()];
}

/** More replicas for a throttled Deployment: enough to absorb the throttled share, at least one more. */
function scaleOut(l: Lookup, workload: ObjectRef | undefined, ratio: number): SuggestedAction | undefined {
  if (workload?.kind !== 'Deployment') return undefined;
  const d = l.get('deployments', workload.namespace, workload.name);
  if (!d) return undefined;
  // An autoscaler owns the replica count: scaling by hand would be undone.
  const hpa = l
    .list('horizontalPodAutoscalers')
    .some(
      (h) =>
        h.metadata.namespace === d.metadata.namespace &&
        h.spec.scaleTargetRef.kind === 'Deployment' &&
        h.spec.scaleTargetRef.name === d.metadata.name,
    );
  if (hpa) return undefined;
  const replicas = d.spec.replicas ?? 1;
  const target = Math.min(replicas * 3, Math.max(replicas + 1, Math.ceil(replicas * (1 + ratio))));
  return suggestScale(
    d,
    target,
    `spread the load so each pod stays under its CPU limit (throttled ${Math.round(ratio * 100)}% of periods)`,
  );
}

function grouped(
  l: Lookup,
  observations: Observation[],
): Map<string, { workload?: ObjectRef; items: Observation[] }> {
  const groups = new Map<string, { workload?: ObjectRef; items: Observation[] }>();
  for (const o of observations) {
    const workload = l.workloadOf(o.pod);
    const key = `${workload ? refKey(workload) : refKey(refOf('Pod', o.pod))}|${o.container}`;
    const group = groups.get(key) ?? { workload, items: [] };
    group.items.push(o);
    groups.set(key, group);
  }
  for (const g of groups.values()) g.items.sort((a, b) => b.value - a.value);
  return groups;
}

export const usageAnalyzer: Analyzer = {
  name: 'usage',
  kinds: ['PodMetrics', 'metrics'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const throttled: Observation[] = [];
    const memory: Observation[] = [];
    for (const { namespace, pod: podName, container } of targets(l)) {
      const pod = l.get('pods', namespace, podName);
      const spec = pod?.spec.containers.find((c) => c.name === container);
      if (!pod || !spec) continue;
      const cpuLimit = spec.resources?.limits?.cpu;
      const t = cpuLimit !== undefined ? cpuThrottling(l, namespace, podName, container) : undefined;
      if (t && t.ratio > THROTTLE_RATIO) {
        throttled.push({
          pod,
          container,
          value: t.ratio,
          limit: String(cpuLimit),
          detail: `container_cpu_cfs_throttled_periods_total / container_cpu_cfs_periods_total = ${t.ratio.toFixed(2)} over ${Math.round(t.periods)} periods (${podName})`,
        });
      }
      const limit = parseQuantity(spec.resources?.limits?.memory);
      const use = limit ? memoryUsage(l, namespace, podName, container) : undefined;
      const peak = use?.peak ?? use?.current;
      if (limit && peak !== undefined && peak / limit >= MEMORY_NEAR_LIMIT) {
        memory.push({
          pod,
          container,
          value: peak / limit,
          limit: String(spec.resources!.limits!.memory),
          detail: `${podName} ${container} memory ${formatBytes(peak)} (${use!.source})`,
        });
      }
    }
    const findings: Finding[] = [];
    for (const { workload, items } of grouped(l, throttled).values()) {
      const top = items[0];
      const where = workload
        ? `${items.length} pod(s) of ${describeRef(workload)}`
        : `Pod ${top.pod.metadata.namespace}/${top.pod.metadata.name}`;
      const f = makeFinding('usage', 'CPUThrottled', refOf('Pod', top.pod), {
        parent: workload,
        severity: 'high',
        symptom: `${where}: container ${top.container} is CPU-throttled in up to ${Math.round(top.value * 100)}% of scheduling periods`,
        cause: `the CPU limit of ${top.limit} on container ${top.container} caps it below what the load needs, so the kernel throttles it (CFS throttling: slow responses, probe timeouts)`,
        evidence: [
          ...items.slice(0, 3).map((o) => evidence.metric(o.detail)),
          evidence.field(`spec.containers[${top.container}].resources.limits.cpu`, top.limit),
        ],
        confidence: 0.85,
        suggestion: scaleOut(l, workload, top.value),
        docs: DOCS.resources,
      });
      f.id += `/${top.container}`;
      findings.push(f);
    }
    for (const { workload, items } of grouped(l, memory).values()) {
      const top = items[0];
      const f = makeFinding('usage', 'MemoryNearLimit', refOf('Pod', top.pod), {
        parent: workload,
        severity: 'low',
        symptom: `container ${top.container} uses ${Math.round(top.value * 100)}% of its memory limit`,
        cause: `memory use is close to the ${top.limit} limit: an OOM kill is near`,
        evidence: [
          ...items.slice(0, 3).map((o) => evidence.metric(o.detail)),
          evidence.field(`spec.containers[${top.container}].resources.limits.memory`, top.limit),
        ],
        confidence: 0.8,
        docs: DOCS.oom,
      });
      f.id += `/${top.container}`;
      findings.push(f);
    }
    return findings;
  },
};
