// find_resource: every object whose name contains a fragment, across namespaces and kinds, for when
// a prompt names "the checkout thing" and not where it lives. Exact names first, then prefixes, then
// the rest; a kind the reader may not list is named in the answer (and as a blind spot), never fatal.
import { type KubeObject } from '@foxhound/diagnostics';
import { z } from 'zod';
import { type KindInfo, resolveKind } from '../../cluster/kinds';
import { isForbidden } from '../../cluster/reader';
import { defineTool, noData, ok } from '../define';
import { age, table } from '../format';
import { kindParam, namespaceParam } from './params';

const DEFAULT_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'Job',
  'Pod',
  'Service',
  'Ingress',
  'ConfigMap',
  'PersistentVolumeClaim',
  'HorizontalPodAutoscaler',
  'NetworkPolicy',
  'ServiceAccount',
  'Namespace',
  'Node',
];
const MAX_ROWS = 50;

interface Match {
  info: KindInfo;
  obj: KubeObject;
  rank: number;
}

/** 0 exact, 1 prefix, 2 contains every word; undefined when it does not match. */
function matchRank(name: string, words: string[], whole: string): number | undefined {
  const n = name.toLowerCase();
  if (!words.every((w) => n.includes(w))) return undefined;
  return n === whole ? 0 : n.startsWith(words[0]!) ? 1 : 2;
}

export const findResource = defineTool({
  name: 'find_resource',
  description:
    'Find objects whose name contains a fragment, in every namespace (or one), across the common kinds (workloads, pods, services, ingresses, config, claims, autoscalers, policies, namespaces, nodes) or the kinds you name. Use it when you know part of a name but not its namespace or kind; then kubectl_describe the match.',
  params: z.object({
    name: z
      .string()
      .min(2)
      .max(100)
      .regex(/^[a-z0-9.\- ]+$/i, 'letters, digits, dots, dashes and spaces only')
      .describe('A fragment of the name; several words must all appear ("order proc").'),
    kinds: z
      .array(kindParam)
      .min(1)
      .max(20)
      .optional()
      .describe(`Kinds to search (default: ${DEFAULT_KINDS.join(', ')}).`),
    namespace: namespaceParam.optional().describe('Search one namespace only.'),
  }),
  summary: (p) =>
    `Finding objects named like "${p.name}"${p.namespace ? ` in ${p.namespace}` : ' in every namespace'}`,
  outputBudget: 8_000,
  run: async (p, ctx) => {
    const whole = p.name.trim().toLowerCase();
    const words = whole.split(/\s+/).filter(Boolean);
    const infos = [
      ...new Map((p.kinds ?? DEFAULT_KINDS).map((k) => resolveKind(k)!).map((i) => [i.kind, i])).values(),
    ];
    const matches: Match[] = [];
    const unsearched: string[] = [];
    await Promise.all(
      infos.map(async (info) => {
        try {
          const items = await ctx.cluster.list(info.kind, {
            namespace: info.namespaced ? p.namespace : undefined,
          });
          for (const obj of items) {
            const rank = matchRank(obj.metadata.name, words, whole);
            if (rank !== undefined) matches.push({ info, obj, rank });
          }
        } catch (err) {
          if (isForbidden(err)) {
            ctx.turn.blindSpot(`${err.what} (forbidden for the executor's read-only ServiceAccount)`);
            unsearched.push(`${info.apiKind} (forbidden)`);
          } else unsearched.push(`${info.apiKind} (${err instanceof Error ? err.message : String(err)})`);
        }
      }),
    );
    const order = new Map(infos.map((i, n) => [i.kind, n]));
    matches.sort(
      (a, b) =>
        a.rank - b.rank ||
        order.get(a.info.kind)! - order.get(b.info.kind)! ||
        (a.obj.metadata.namespace ?? '').localeCompare(b.obj.metadata.namespace ?? '') ||
        a.obj.metadata.name.localeCompare(b.obj.metadata.name),
    );
    const where = p.namespace ? ` in ${p.namespace}` : '';
    const notes = unsearched.length ? `\nNot searched: ${unsearched.sort().join(', ')}.` : '';
    if (!matches.length)
      return noData(
        `No ${infos.map((i) => i.apiKind).join(', ')} named like "${p.name}"${where}.${notes}\nTry a shorter fragment, or other kinds.`,
        `Nothing named like "${p.name}"${where}`,
      );
    const now = ctx.now();
    const shown = matches.slice(0, MAX_ROWS);
    const text = table(
      ['KIND', 'NAMESPACE', 'NAME', 'AGE'],
      shown.map((m) => [
        m.info.apiKind,
        m.obj.metadata.namespace ?? '-',
        m.obj.metadata.name,
        age(m.obj.metadata.creationTimestamp, now),
      ]),
    );
    const more =
      matches.length > MAX_ROWS
        ? `\n(${matches.length - MAX_ROWS} more; narrow with a longer fragment, kinds or namespace)`
        : '';
    const best = matches[0]!;
    return ok(
      `${text}${more}${notes}`,
      `${matches.length} object(s) named like "${p.name}"${where}; first: ${best.info.apiKind} ${best.obj.metadata.namespace ? `${best.obj.metadata.namespace}/` : ''}${best.obj.metadata.name}`,
      shown.map((m) => ({
        kind: m.info.apiKind,
        namespace: m.obj.metadata.namespace,
        name: m.obj.metadata.name,
      })),
    );
  },
});
