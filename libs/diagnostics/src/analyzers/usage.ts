// Resource usage analyzer: containers throttled by their CPU limit and containers whose memory use
// is close to their limit, from PodMetrics and cAdvisor series when the snapshot has them.
import { type Finding } from '@foxhound/contracts';
import { containersWithSeries, cpuThrottling, memoryUsage } from '../causes/usage';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { formatBytes, parseQuantity } from '../util/quantity';
import { refOf } from '../util/refs';
import { type Analyzer } from './types';

/** Throttled in more than this share of CFS periods: latency suffers visibly. */
const THROTTLE_RATIO = 0.25;
const MEMORY_NEAR_LIMIT = 0.9;

export const usageAnalyzer: Analyzer = {
  name: 'usage',
  kinds: ['PodMetrics', 'metrics'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const targets = [
      ...containersWithSeries(l),
      ...l.snapshot.podMetrics.flatMap((m) =>
        m.containers.map((c) => ({
          namespace: m.metadata.namespace ?? 'default',
          pod: m.metadata.name,
          container: c.name,
        })),
      ),
    ];
    for (const { namespace, pod: podName, container } of targets) {
      if (seen.has(`${namespace}/${podName}/${container}`) || !l.inScope(namespace)) continue;
      seen.add(`${namespace}/${podName}/${container}`);
      const pod = l.get('pods', namespace, podName);
      const spec = pod?.spec.containers.find((c) => c.name === container);
      if (!pod || !spec) continue;
      const parent = l.workloadOf(pod);
      const ref = refOf('Pod', pod);
      const cpuLimit = spec.resources?.limits?.cpu;
      const throttling = cpuLimit !== undefined ? cpuThrottling(l, namespace, podName, container) : undefined;
      if (throttling && throttling.ratio > THROTTLE_RATIO) {
        const f = makeFinding('usage', 'CPUThrottled', ref, {
          parent,
          severity: 'medium',
          symptom: `container ${container} is CPU-throttled in ${Math.round(throttling.ratio * 100)}% of scheduling periods`,
          cause: `its CPU limit of ${cpuLimit} is lower than what it uses under load, so the kernel pauses it (slow responses, probe timeouts)`,
          evidence: [
            evidence.metric(
              `container_cpu_cfs_throttled_periods_total / container_cpu_cfs_periods_total = ${throttling.ratio.toFixed(2)} over ${Math.round(throttling.periods)} periods`,
            ),
            evidence.field(`spec.containers[${container}].resources.limits.cpu`, cpuLimit),
          ],
          confidence: 0.85,
          docs: DOCS.resources,
        });
        f.id += `/${container}`;
        findings.push(f);
      }
      const limit = parseQuantity(spec.resources?.limits?.memory);
      const memory = limit ? memoryUsage(l, namespace, podName, container) : undefined;
      const peak = memory?.peak ?? memory?.current;
      if (limit && peak !== undefined && peak / limit >= MEMORY_NEAR_LIMIT) {
        const f = makeFinding('usage', 'MemoryNearLimit', ref, {
          parent,
          severity: 'low',
          symptom: `container ${container} uses ${Math.round((peak / limit) * 100)}% of its memory limit`,
          cause: `memory use reached ${formatBytes(peak)} of the ${formatBytes(limit)} limit: an OOM kill is close`,
          evidence: [
            evidence.metric(`${container} memory ${formatBytes(peak)} (${memory!.source})`),
            evidence.field(
              `spec.containers[${container}].resources.limits.memory`,
              spec.resources!.limits!.memory,
            ),
          ],
          confidence: 0.8,
          docs: DOCS.oom,
        });
        f.id += `/${container}`;
        findings.push(f);
      }
    }
    return findings;
  },
};
