// fetch_pod_logs: one pod's container log, or the same container of every pod of a workload, current
// or previous, bounded by lines or by time (`since`). With `grep` it searches the whole available
// log (up to a bound it names), not only a tail, and returns the matching lines with optional
// context. The answer opens with a header (lines read, matches, error-pattern counts, the decisive
// line) that survives any cut: fit.ts keeps the header and the newest lines within the budget.
import {
  classifyLogs,
  decisiveSignal,
  describeSignal,
  type LogSignal,
  type Pod,
} from '@foxhound/diagnostics';
import { z } from 'zod';
import { ClusterReadError } from '../../cluster/reader';
import { type ToolContext } from '../context';
import { defineTool, failed, noData, ok } from '../define';
import { nameParam, namespaceParam } from '../kubernetes/params';
import { fitLog, type LogSection } from './fit';
import { type LogWindow, readWindow, since as parseSince, SINCE_PATTERN } from './log-window';
import { podsOfWorkload } from './workload-pods';

const OUTPUT_BUDGET = 24_000;
/** Pods read for a workload; more are named and left out. */
const MAX_WORKLOAD_PODS = 10;
/** Lines fed to the error-pattern classifier: it weighs the newest lines. */
const CLASSIFY_LINES = 2_000;

const NARROW = 'narrow with grep, since or tailLines, or read one pod';

interface ContainerRead {
  pod: Pod;
  container: string;
  lines?: string[];
  bytes?: number;
  /** Why there is no log: never restarted, never started, not found. */
  absent?: string;
}

/** Plain-text alternatives, not a regular expression: a model-written regex could hang the loop. */
function toPattern(grep: string): (line: string) => boolean {
  const needles = grep
    .toLowerCase()
    .split('|')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  return (line) => needles.some((n) => line.toLowerCase().includes(n));
}

/** The matching lines with `context` lines around each, groups separated by `--` as grep prints them. */
function matching(
  lines: string[],
  test: (line: string) => boolean,
  context: number,
): { shown: string[]; count: number } {
  const hits: number[] = [];
  lines.forEach((line, i) => test(line) && hits.push(i));
  if (context === 0) return { shown: hits.map((i) => lines[i]!), count: hits.length };
  const shown: string[] = [];
  let last = -1;
  for (const i of hits) {
    const from = Math.max(i - context, last + 1);
    if (shown.length && from > last + 1) shown.push('--');
    for (let j = from; j <= Math.min(i + context, lines.length - 1); j++) shown.push(lines[j]!);
    last = Math.min(i + context, lines.length - 1);
  }
  return { shown, count: hits.length };
}

async function readContainer(
  ctx: ToolContext,
  pod: Pod,
  container: string,
  previous: boolean,
  window: LogWindow,
): Promise<ContainerRead> {
  const status = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ].find((s) => s.name === container);
  if (previous && !status?.lastState?.terminated && (status?.restartCount ?? 0) === 0)
    return {
      pod,
      container,
      absent: `${container} has not restarted, so there is no previous log; read the current one`,
    };
  const namespace = pod.metadata.namespace ?? 'default';
  try {
    const text = await ctx.cluster.podLogs(namespace, pod.metadata.name, {
      container,
      previous,
      ...window.options,
    });
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return { pod, container, lines, bytes: Buffer.byteLength(text) };
  } catch (err) {
    if (err instanceof ClusterReadError && err.status === 400) return { pod, container, absent: err.message };
    throw err;
  }
}

function patterns(signals: LogSignal[]): string | undefined {
  return signals.length
    ? `Error patterns: ${signals
        .slice(0, 6)
        .map((s) => `${s.kind} x${s.count}`)
        .join(', ')}.`
    : undefined;
}

export const fetchPodLogs = defineTool({
  name: 'fetch_pod_logs',
  description:
    "Read a container's log: one pod's, or the same container in every pod of a workload (Deployment, StatefulSet, DaemonSet, Job, or a CronJob's newest Job). Current or previous (the instance that crashed); bounded by tailLines or by time (since: 15m, 2h, or an RFC 3339 time). With grep it searches the whole available log, not only the tail, and returns matching lines (with context if asked). The answer opens with line and match counts, error-pattern counts and the decisive line.",
  params: z.object({
    namespace: namespaceParam,
    pod: nameParam.optional().describe('The pod name (kubectl_get kind=Pod). Give pod or workload.'),
    workload: nameParam
      .optional()
      .describe(
        'A Deployment, StatefulSet, DaemonSet or Job name: reads the container in each of its pods (up to 10).',
      ),
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
    tailLines: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .optional()
      .describe(
        'Newest lines to read per container (default 200, or 100 per pod of a workload; with grep, the whole log).',
      ),
    since: z
      .string()
      .max(40)
      .regex(SINCE_PATTERN, 'a duration such as 90s, 15m, 2h, 1d, or an RFC 3339 time')
      .optional()
      .describe('Only lines written since then: 15m, 2h, or 2025-10-21T09:00:00Z.'),
    grep: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Case-insensitive text; `a|b` matches either. Searches the whole available log and returns only matching lines.',
      ),
    context: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe('Lines shown before and after each grep match.'),
  }),
  summary: (p) =>
    `Reading ${p.previous ? 'previous ' : ''}logs of ${p.namespace}/${p.pod ?? p.workload ?? '?'}${p.workload && !p.pod ? ' (every pod)' : ''}${p.container ? ` (${p.container})` : ''}${p.since ? ` since ${p.since}` : ''}${p.grep ? ` matching "${p.grep}"` : ''}`,
  outputBudget: OUTPUT_BUDGET,
  keep: 'tail',
  run: async (p, ctx) => {
    if ((p.pod === undefined) === (p.workload === undefined))
      return failed(
        'Give exactly one of pod (one pod) or workload (every pod of a Deployment, StatefulSet, DaemonSet, Job or CronJob).',
      );
    const sinceBound = p.since === undefined ? undefined : parseSince(p.since, ctx.now());
    if (p.since !== undefined && !sinceBound)
      return failed(
        `since "${p.since}" is not a duration (90s, 15m, 2h, 1d, at most 30d) or an RFC 3339 time.`,
      );
    let pods: Pod[];
    let owner: string | undefined;
    if (p.pod) {
      const pod = (await ctx.cluster.get('pods', p.pod, p.namespace)) as Pod | undefined;
      if (!pod)
        return noData(`Pod ${p.namespace}/${p.pod} not found.`, `Pod ${p.namespace}/${p.pod} not found`);
      pods = [pod];
    } else {
      const found = await podsOfWorkload(ctx.cluster, p.namespace, p.workload!);
      if (!found)
        return noData(
          `No Deployment, StatefulSet, DaemonSet, Job or CronJob named ${p.workload} in ${p.namespace}; find_resource finds names.`,
          `No workload ${p.namespace}/${p.workload}`,
        );
      if (!found.pods.length)
        return noData(`${found.ref} has no pods to read logs from.`, `${found.ref} has no pods`);
      pods = found.pods;
      owner = found.ref;
    }
    const first = pods[0]!;
    const names = [...first.spec.containers, ...(first.spec.initContainers ?? [])].map((c) => c.name);
    const container = p.container ?? first.spec.containers[0]!.name;
    if (!names.includes(container))
      return failed(
        `${owner ?? `Pod ${p.namespace}/${first.metadata.name}`} has no container "${container}"; its containers: ${names.join(', ')}.`,
      );
    const window = readWindow({
      tailLines: p.tailLines,
      search: p.grep !== undefined,
      perPodDefault: owner ? 100 : 200,
      since: sinceBound,
    });
    const shown = pods.slice(0, MAX_WORKLOAD_PODS);
    const reads: ContainerRead[] = [];
    for (const pod of shown)
      reads.push(await readContainer(ctx, pod, container, p.previous ?? false, window));
    const test = p.grep ? toPattern(p.grep) : undefined;
    const kind = p.previous ? 'previous log' : 'log';

    if (!owner) {
      const r = reads[0]!;
      const where = `${kind} of ${p.namespace}/${first.metadata.name} (${container})`;
      if (r.absent) return noData(`No ${where}: ${r.absent}.`, `No ${where}`);
      const all = r.lines!;
      if (all.length === 0)
        return noData(`The ${where} is empty (read: ${window.describe(0)}).`, `Empty ${where}`);
      const others =
        names.length > 1 ? `; other containers: ${names.filter((n) => n !== container).join(', ')}` : '';
      const header = [
        `${all.length} lines from the ${where}${others}.`,
        `Read: ${window.describe(all.length, r.bytes)}.`,
      ];
      const signals = classifyLogs(all.slice(-CLASSIFY_LINES));
      const pattern = patterns(signals);
      if (pattern) header.push(pattern);
      const decisive = decisiveSignal(all.slice(-CLASSIFY_LINES));
      if (decisive)
        header.push(`Decisive line (${describeSignal(decisive)}): ${decisive.line.trim().slice(0, 400)}`);
      let body = all;
      if (test) {
        const found = matching(all, test, p.context ?? 0);
        header.push(`${found.count} line(s) match "${p.grep}".`);
        if (found.count === 0)
          return noData(
            `${header.join('\n')}\n(no matching lines)`,
            `No lines match "${p.grep}" in the ${where}`,
            {
              decisive,
            },
          );
        body = found.shown;
      }
      const summary = decisive
        ? `${where}: ${describeSignal(decisive)}`
        : `${test ? body.length : all.length} lines from the ${where}, no error pattern`;
      return ok(fitLog([...header, '---'], [{ lines: body }], OUTPUT_BUDGET, NARROW), summary, {
        decisive,
        signals,
      });
    }

    const header = [
      `${kind[0]!.toUpperCase()}${kind.slice(1)}s of ${owner} (${container}): ${pods.length} pod(s)${pods.length > shown.length ? `, the first ${shown.length} read (unhealthy first)` : ''}; read: ${window.describe(undefined)}.`,
    ];
    const sections: LogSection[] = [];
    let matches = 0;
    let worst: { pod: string; signal: LogSignal } | undefined;
    for (const r of reads) {
      const name = r.pod.metadata.name;
      if (r.absent) {
        header.push(`  ${name}: no log (${r.absent})`);
        continue;
      }
      const all = r.lines!;
      const signals = classifyLogs(all.slice(-CLASSIFY_LINES));
      const decisive = signals[0];
      if (decisive && (!worst || decisive.count > worst.signal.count))
        worst = { pod: name, signal: decisive };
      const found = test ? matching(all, test, p.context ?? 0) : undefined;
      matches += found?.count ?? 0;
      header.push(
        `  ${name}: ${all.length} lines${(r.bytes ?? 0) >= window.options.limitBytes ? ' (cut at the byte bound)' : ''}${found ? `, ${found.count} match` : ''}${signals.length ? `; ${patterns(signals)!.slice('Error patterns: '.length, -1)}` : ''}`,
      );
      const lines = found ? found.shown : all;
      if (lines.length) sections.push({ title: `== ${name} (${container})`, lines });
    }
    if (worst)
      header.push(
        `Decisive line (${worst.pod}, ${describeSignal(worst.signal)}): ${worst.signal.line.trim().slice(0, 400)}`,
      );
    if (test) header.push(`${matches} line(s) match "${p.grep}" across the pods.`);
    const summary = `${owner}: ${shown.length} pod(s) read${test ? `, ${matches} matching line(s)` : ''}${worst ? `; ${describeSignal(worst.signal)}` : ', no error pattern'}`;
    if (test && matches === 0) return noData(`${header.join('\n')}\n(no matching lines)`, summary);
    return ok(fitLog([...header, '---'], sections, OUTPUT_BUDGET, NARROW), summary, {
      decisive: worst?.signal,
    });
  },
});
