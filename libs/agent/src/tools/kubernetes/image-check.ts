// image_check: for the pods of a workload (or a namespace), each image reference parsed, each pull
// failure classified (tag not found, unauthorized, bad name, registry down, rate limit) from the
// kubelet's message, and the images of the same repository the cluster runs or ran (the previous
// ReplicaSet first), so the fix can name a concrete image.
import { classifyPullFailure, closestImages, lookup, parseImage, type Pod } from '@foxhound/diagnostics';
import { z } from 'zod';
import { defineTool, noData, ok } from '../define';
import { nameParam, namespaceParam } from './params';

const PULL_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'ImageInspectError',
]);

interface ImageReport {
  image: string;
  pods: string[];
  failure?: string;
  message?: string;
  candidates: string[];
}

export const imageCheck = defineTool({
  name: 'image_check',
  description:
    "Check the image references of a workload's pods (or every pod in a namespace): parse each reference, classify pull failures from the kubelet's message, and list the images of the same repository the cluster runs or ran before (previous ReplicaSet first).",
  params: z.object({
    namespace: namespaceParam,
    name: nameParam
      .optional()
      .describe('A Deployment, StatefulSet, DaemonSet or Pod name; omit for every pod in the namespace.'),
  }),
  summary: (p) => `Checking image references ${p.name ? `of ${p.namespace}/${p.name}` : `in ${p.namespace}`}`,
  run: async (p, ctx) => {
    const l = lookup(await ctx.cluster.snapshot([p.namespace]));
    const pods = l
      .podsIn(p.namespace)
      .filter((pod) => !p.name || pod.metadata.name === p.name || l.workloadOf(pod)?.name === p.name);
    if (pods.length === 0)
      return noData(
        `No pods ${p.name ? `of ${p.name} ` : ''}in ${p.namespace}.`,
        `No pods to check in ${p.namespace}`,
      );
    const reports = new Map<string, ImageReport>();
    for (const pod of pods) {
      const statuses = [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ];
      for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
        const image = c.image ?? '';
        const report = reports.get(image) ?? { image, pods: [], candidates: [] };
        report.pods.push(pod.metadata.name);
        const waiting = statuses.find((s) => s.name === c.name)?.state?.waiting;
        if (waiting?.reason && PULL_REASONS.has(waiting.reason) && !report.failure) {
          // The waiting message is often just "Back-off pulling image"; the kubelet's event says why.
          const messages = [
            waiting.message,
            ...pullEventMessages(
              l.eventsFor({ kind: 'Pod', name: pod.metadata.name, namespace: p.namespace }),
            ),
          ];
          const classified = messages.map((m) => ({
            message: m,
            failure: classifyPullFailure(m, waiting.reason),
          }));
          const best =
            classified.find((x) => x.failure !== 'unknown') ??
            classified.find((x) => x.message) ??
            classified[0]!;
          report.failure = best.failure;
          report.message = best.message;
          report.candidates = closestImages(l, image, previousTemplates(l, pod))
            .slice(0, 3)
            .map((c) => `${c.image} (${c.seenIn}${c.previous ? ', ran before' : ''})`);
        }
        reports.set(image, report);
      }
    }
    const lines: string[] = [];
    for (const r of reports.values()) {
      const ref = parseImage(r.image);
      const parsed = ref
        ? `registry ${ref.registry}, repository ${ref.repository}, ${ref.digest ? `digest ${ref.digest}` : `tag ${ref.tag ?? 'latest (implicit)'}`}`
        : 'not a valid image reference';
      lines.push(`${r.image}: ${parsed}; used by ${r.pods.length} pod(s)`);
      if (r.failure) {
        lines.push(`  PULL FAILING: ${r.failure}${r.message ? `: ${r.message.slice(0, 300)}` : ''}`);
        lines.push(`  Same repository elsewhere: ${r.candidates.join('; ') || 'none found in the cluster'}`);
      }
      if (ref && !ref.digest && (ref.tag === undefined || ref.tag === 'latest'))
        lines.push('  Note: floating tag; the image can change under the same name.');
    }
    const failing = [...reports.values()].filter((r) => r.failure);
    const summary = failing.length
      ? `${failing.length} image(s) failing to pull: ${failing.map((r) => `${r.image} (${r.failure})`).join(', ')}`
      : `${reports.size} image(s), none failing to pull`;
    return ok(lines.join('\n'), summary, [...reports.values()]);
  },
});

/** The kubelet's `Failed` events about pulls, newest first ("Failed to pull image ...: not found"). */
function pullEventMessages(events: { reason?: string; message?: string }[]): string[] {
  return events.flatMap((e) => (e.reason === 'Failed' && /pull/i.test(e.message ?? '') ? [e.message!] : []));
}

function previousTemplates(l: ReturnType<typeof lookup>, pod: Pod) {
  const workload = l.workloadOf(pod);
  if (workload?.kind !== 'Deployment') return [];
  return l
    .replicaSetsOf(workload.namespace ?? 'default', workload.name)
    .slice(1)
    .map((rs) => ({
      template: rs.spec.template,
      seenIn: `ReplicaSet ${rs.metadata.name} (revision ${l.revisionOf(rs)})`,
    }));
}
