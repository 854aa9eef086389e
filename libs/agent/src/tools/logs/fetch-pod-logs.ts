// fetch_pod_logs: a bounded tail of one container's log (current or previous instance), optionally
// filtered by a pattern, opened by statistics: error-like line counts by class and the decisive
// line (the one an SRE would quote). Oversize output keeps the newest lines.
import { classifyLogs, decisiveSignal, describeSignal, type Pod } from '@foxhound/diagnostics';
import { z } from 'zod';
import { ClusterReadError } from '../../cluster/reader';
import { defineTool, failed, noData, ok } from '../define';
import { nameParam, namespaceParam } from '../kubernetes/params';

const DEFAULT_TAIL = 200;
const MAX_TAIL = 2_000;
/** Bytes asked of the API server: a bound on memory whatever the tail says. */
const LIMIT_BYTES = 512 * 1024;

export const fetchPodLogs = defineTool({
  name: 'fetch_pod_logs',
  description:
    "Read the tail of one container's log, current or previous (the instance that crashed), optionally only lines matching a pattern. The answer opens with error-pattern counts and the decisive line.",
  params: z.object({
    namespace: namespaceParam,
    pod: nameParam.describe('The pod name (kubectl_get kind=Pod).'),
    container: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .max(63)
      .optional()
      .describe('Defaults to the first container.'),
    previous: z
      .boolean()
      .optional()
      .describe('The previous (terminated) instance: use for restarts and crash loops.'),
    tailLines: z.number().int().min(1).max(MAX_TAIL).optional().describe(`Default ${DEFAULT_TAIL}.`),
    grep: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Case-insensitive text; `a|b` matches either. Only matching lines are returned.'),
  }),
  summary: (p) =>
    `Reading ${p.previous ? 'previous ' : ''}logs of ${p.namespace}/${p.pod}${p.container ? ` (${p.container})` : ''}${p.grep ? ` matching "${p.grep}"` : ''}`,
  outputBudget: 24_000,
  keep: 'tail',
  run: async (p, ctx) => {
    const pod = (await ctx.cluster.get('pods', p.pod, p.namespace)) as Pod | undefined;
    if (!pod)
      return noData(`Pod ${p.namespace}/${p.pod} not found.`, `Pod ${p.namespace}/${p.pod} not found`);
    const names = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name);
    const container = p.container ?? pod.spec.containers[0]!.name;
    if (!names.includes(container))
      return failed(
        `Pod ${p.namespace}/${p.pod} has no container "${container}"; its containers: ${names.join(', ')}.`,
      );
    const status = [
      ...(pod.status?.containerStatuses ?? []),
      ...(pod.status?.initContainerStatuses ?? []),
    ].find((s) => s.name === container);
    const where = `${p.previous ? 'previous ' : ''}log of ${p.namespace}/${p.pod} (${container})`;
    if (p.previous && !status?.lastState?.terminated && (status?.restartCount ?? 0) === 0) {
      return noData(
        `${container} in ${p.namespace}/${p.pod} has not restarted, so there is no previous log. Read the current one.`,
        `No previous log: ${container} never restarted`,
      );
    }
    let text: string;
    try {
      text = await ctx.cluster.podLogs(p.namespace, p.pod, {
        container,
        previous: p.previous,
        tailLines: p.tailLines ?? DEFAULT_TAIL,
        limitBytes: LIMIT_BYTES,
      });
    } catch (err) {
      if (err instanceof ClusterReadError && err.status === 400)
        return noData(`No ${where}: ${err.message}`, `No ${where}`);
      throw err;
    }
    const all = text.split('\n').filter((line, i, arr) => line !== '' || i < arr.length - 1);
    if (all.length === 0) return noData(`The ${where} is empty.`, `Empty ${where}`);
    const pattern = p.grep ? toPattern(p.grep) : undefined;
    const lines = pattern ? all.filter((line) => pattern.test(line)) : all;
    const header = [`${all.length} lines from the ${where}${others(names, container)}.`];
    const signals = classifyLogs(all);
    if (signals.length)
      header.push(
        `Error patterns: ${signals
          .slice(0, 6)
          .map((s) => `${s.kind} x${s.count}`)
          .join(', ')}.`,
      );
    const decisive = decisiveSignal(all);
    if (decisive)
      header.push(`Decisive line (${describeSignal(decisive)}): ${decisive.line.trim().slice(0, 400)}`);
    if (pattern) header.push(`${lines.length} line(s) match "${p.grep}".`);
    if (lines.length === 0)
      return noData(
        `${header.join('\n')}\n(no matching lines)`,
        `No lines match "${p.grep}" in the ${where}`,
        { decisive },
      );
    const summary = decisive
      ? `${where}: ${describeSignal(decisive)}`
      : `${lines.length} lines from the ${where}, no error pattern`;
    return ok(`${header.join('\n')}\n---\n${lines.join('\n')}`, summary, { decisive, signals });
  },
});

/** Plain-text alternatives, not a regular expression: a model-written regex could hang the loop. */
function toPattern(grep: string): { test(line: string): boolean } {
  const needles = grep
    .toLowerCase()
    .split('|')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  return { test: (line) => needles.some((n) => line.toLowerCase().includes(n)) };
}

const others = (names: string[], container: string): string =>
  names.length > 1 ? `; other containers: ${names.filter((n) => n !== container).join(', ')}` : '';
