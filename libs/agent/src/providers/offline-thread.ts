// What a thread already established, read back from its history: the earlier answers are the
// markdown report/markdown.ts renders (the one shape every history carries, whoever rebuilt it), so
// the root cause, the affected object, the proposals made (with their state, when the gateway
// recorded one) and every object the answers named are read from those lines.
import { type HistoryTurn, type ObjectRef } from '@foxhound/contracts';

export interface ThreadProposal {
  type: string;
  namespace: string;
  name: string;
  summary: string;
  /** proposed, approved, applied... when the history says. */
  state?: string;
}

export interface ThreadMemory {
  /** Earlier answers on the thread. */
  turns: number;
  rootCause?: string;
  healthy?: boolean;
  affected?: ObjectRef;
  proposals: ThreadProposal[];
  /** Every object the earlier answers named, first mention first. */
  objects: ObjectRef[];
  namespaces: string[];
  /** Earlier questions, oldest first. */
  questions: string[];
}

const KINDS =
  'Deployment|StatefulSet|DaemonSet|ReplicaSet|Pod|Service|ResourceQuota|LimitRange|ConfigMap|Secret|Node|Job|CronJob|PersistentVolumeClaim|Ingress|HorizontalPodAutoscaler|PodDisruptionBudget|NetworkPolicy';
const REF = new RegExp(
  `\\b(${KINDS}) (?:([a-z0-9][a-z0-9-]{0,62})/)?([a-z0-9][a-z0-9.-]{0,252}[a-z0-9]|[a-z0-9])\\b`,
  'g',
);
const PROPOSAL = /^- \*\*([A-Za-z]+)\*\* ([a-z0-9-]+)\/([a-z0-9.-]+): (.*?)(?: \(state: ([a-z]+)\))?$/;
const AFFECTED = /^\*\*Affected:\*\* (.+)$/m;
/** Bounds: a long thread is read from its newest answers. */
const MAX_TURNS = 10;
const MAX_OBJECTS = 50;

function refsIn(text: string): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const m of text.matchAll(REF)) {
    const ref: ObjectRef = { kind: m[1]!, name: m[3]! };
    if (m[2]) ref.namespace = m[2];
    out.push(ref);
  }
  return out;
}

/** The section under a `## Heading`, up to the next `##`/`###` heading. */
function section(text: string, heading: RegExp): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

/**
 * Prose names objects without their namespace ("revision 2 of Deployment web"): such a ref takes
 * the namespace the same object is named with elsewhere, or the thread's only namespace; duplicates go.
 */
function placed(objects: ObjectRef[], namespaces: string[]): ObjectRef[] {
  const out = new Map<string, ObjectRef>();
  for (const o of objects) {
    const namespace =
      o.namespace ??
      objects.find((x) => x.namespace && x.kind === o.kind && x.name === o.name)?.namespace ??
      (namespaces.length === 1 && o.kind !== 'Node' ? namespaces[0] : undefined);
    const ref: ObjectRef = namespace ? { ...o, namespace } : o;
    const key = `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
    if (!out.has(key)) out.set(key, ref);
  }
  return [...out.values()];
}

export function readThread(history: HistoryTurn[]): ThreadMemory {
  const memory: ThreadMemory = { turns: 0, proposals: [], objects: [], namespaces: [], questions: [] };
  const seen = new Set<string>();
  const answers = history.filter((h) => h.role === 'assistant').slice(-MAX_TURNS);
  memory.questions = history.filter((h) => h.role === 'user').map((h) => h.text);
  for (const { text } of answers) {
    memory.turns += 1;
    const root = section(text, /^## Root cause$/);
    const healthy = section(text, /^## No problem found$/);
    // A later answer that re-states the root cause supersedes an earlier one.
    if (root) {
      memory.rootCause = root.split('\n')[0];
      memory.healthy = false;
    } else if (healthy !== undefined) {
      memory.rootCause = healthy.split('\n')[0];
      memory.healthy = true;
    }
    const affected = AFFECTED.exec(text)?.[1];
    if (affected) memory.affected = refsIn(affected)[0] ?? memory.affected;
    for (const line of text.split('\n')) {
      const m = PROPOSAL.exec(line.trim());
      if (!m) continue;
      const p: ThreadProposal = { type: m[1]!, namespace: m[2]!, name: m[3]!, summary: m[4]! };
      if (m[5]) p.state = m[5];
      const same = memory.proposals.findIndex(
        (x) => x.type === p.type && x.namespace === p.namespace && x.name === p.name,
      );
      if (same >= 0) memory.proposals[same] = { ...memory.proposals[same]!, ...p };
      else memory.proposals.push(p);
    }
    for (const ref of refsIn(text)) {
      const key = `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
      if (seen.has(key) || memory.objects.length >= MAX_OBJECTS) continue;
      seen.add(key);
      memory.objects.push(ref);
    }
  }
  memory.namespaces = [
    ...new Set([
      ...(memory.affected?.namespace ? [memory.affected.namespace] : []),
      ...memory.proposals.map((p) => p.namespace),
      ...memory.objects.flatMap((o) => (o.namespace ? [o.namespace] : [])),
    ]),
  ];
  memory.objects = placed(memory.objects, memory.namespaces);
  return memory;
}
