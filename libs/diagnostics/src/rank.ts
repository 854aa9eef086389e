// Ranking: decides which findings are root causes and files every other finding under the one that
// explains it (`causedBy`), then orders root causes by severity, confidence and how much they
// explain. Two kinds of link, both readable from the findings themselves:
//  - blame: an `analysis` evidence whose `ref` names an object of another workload points at the
//    finding about that object (a caller's "connection refused" → the dependency's crash; a
//    ReplicaSet's FailedCreate → the ResourceQuota);
//  - membership: a controller's finding (Deployment replica mismatch) is explained by a finding on
//    what it controls (its ReplicaSet, its pods).
import { type Finding, type ObjectRef, type Severity } from '@foxhound/contracts';
import { refKey } from './util/refs';

export interface RankedGroup {
  root: Finding;
  /** Every finding filed under the root, directly or through another symptom. */
  symptoms: Finding[];
}

export interface Ranking {
  /** Root causes first, each followed by its symptoms; info findings last. */
  findings: Finding[];
  rootCauses: Finding[];
  groups: RankedGroup[];
}

export interface RankOptions {
  /** Free text (a prompt, an alert title): root causes whose group names one of its words rank first. */
  focus?: string;
  /** Objects the question names (focus/resolve.ts): groups touching one rank before all others. */
  named?: ObjectRef[];
  /** What the named objects depend on: groups touching one rank next. */
  related?: ObjectRef[];
}

const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };
/** Depth in the ownership chain: a finding can only be explained by a deeper one of its own workload. */
const DEPTH: Record<string, number> = {
  Pod: 0,
  ReplicaSet: 1,
  Job: 1,
  Deployment: 2,
  StatefulSet: 2,
  DaemonSet: 2,
  CronJob: 2,
};

function workloadOf(f: Finding): string {
  return refKey(f.parent ?? f.object);
}

function depth(f: Finding): number {
  return DEPTH[f.object.kind] ?? 3;
}

/** Findings that name a cause outside the workload graph (policy, quota, node...) weigh most as causes. */
function causeWeight(f: Finding): number {
  return DEPTH[f.object.kind] === undefined && f.object.kind !== 'Service' ? 3 : depth(f) === 0 ? 2 : 1;
}

function candidates(a: Finding, byRef: Map<string, Finding[]>, byParent: Map<string, Finding[]>): Finding[] {
  const found: Finding[] = [];
  for (const e of a.evidence) {
    if (e.source !== 'analysis' || !e.ref) continue;
    const key = refKey(e.ref);
    for (const b of [...(byRef.get(key) ?? []), ...(byParent.get(key) ?? [])]) {
      if (b !== a && workloadOf(b) !== workloadOf(a) && b.severity !== 'info') found.push(b);
    }
  }
  if (DEPTH[a.object.kind] !== undefined && depth(a) > 0) {
    const own = [refKey(a.object), ...(a.parent ? [refKey(a.parent)] : [])];
    for (const key of own) {
      for (const b of byParent.get(key) ?? []) {
        if (b !== a && depth(b) < depth(a) && b.severity !== 'info') found.push(b);
      }
    }
  }
  return found;
}

function index(findings: Finding[], key: (f: Finding) => ObjectRef | undefined): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const ref = key(f);
    if (!ref) continue;
    const list = map.get(refKey(ref));
    if (list) list.push(f);
    else map.set(refKey(ref), [f]);
  }
  return map;
}

/** Positive when x is the stronger explanation: cause kind, then severity, then confidence. */
function compare(x: Finding, y: Finding): number {
  return (
    causeWeight(x) - causeWeight(y) ||
    SEVERITY_WEIGHT[x.severity] - SEVERITY_WEIGHT[y.severity] ||
    x.confidence - y.confidence
  );
}

function focusWords(focus: string | undefined): Set<string> {
  return new Set(
    (focus ?? '')
      .toLowerCase()
      .split(/[^a-z0-9-]+/)
      .filter((w) => w.length >= 3),
  );
}

function names(f: Finding): string[] {
  return [f.object.name, f.parent?.name].filter((n): n is string => !!n).map((n) => n.toLowerCase());
}

/** The objects a finding is about or blames: itself, its workload, and the refs of its analysis evidence. */
function touched(f: Finding): string[] {
  return [
    refKey(f.object),
    ...(f.parent ? [refKey(f.parent)] : []),
    ...f.evidence.flatMap((e) => (e.source === 'analysis' && e.ref ? [refKey(e.ref)] : [])),
  ];
}

export function rank(input: Finding[], options: RankOptions = {}): Ranking {
  const findings = input.map((f) => {
    const copy = { ...f };
    delete copy.causedBy;
    return copy;
  });
  const byRef = index(findings, (f) => f.object);
  const byParent = index(findings, (f) => f.parent);

  // Each finding picks its best explanation; then cycles are broken at their strongest cause.
  const cause = new Map<Finding, Finding>();
  for (const a of findings) {
    if (a.severity === 'info') continue;
    let best: Finding | undefined;
    for (const b of candidates(a, byRef, byParent)) if (!best || compare(b, best) > 0) best = b;
    if (best) cause.set(a, best);
  }
  for (const start of findings) {
    const path: Finding[] = [];
    let node: Finding | undefined = start;
    while (node && !path.includes(node)) {
      path.push(node);
      node = cause.get(node);
    }
    if (!node) continue;
    const cycle = path.slice(path.indexOf(node));
    let strongest = cycle[0];
    for (const f of cycle) if (compare(f, strongest) > 0) strongest = f;
    cause.delete(strongest);
  }
  for (const [a, b] of cause) a.causedBy = b.id;

  const rootOf = (f: Finding): Finding => {
    let node = f;
    while (cause.has(node)) node = cause.get(node)!;
    return node;
  };
  const groups = new Map<Finding, Finding[]>();
  for (const f of findings) {
    if (f.severity === 'info' && !cause.has(f)) continue;
    const root = rootOf(f);
    if (root === f) groups.set(f, groups.get(f) ?? []);
    else groups.set(root, [...(groups.get(root) ?? []), f]);
  }
  // A root is as severe as the worst symptom it explains.
  for (const [root, symptoms] of groups) {
    for (const s of symptoms)
      if (SEVERITY_WEIGHT[s.severity] > SEVERITY_WEIGHT[root.severity]) root.severity = s.severity;
  }
  // Plain words only when no resolution was made: resolved names already decided the tiers.
  const words = options.named === undefined ? focusWords(options.focus) : new Set<string>();
  const named = new Set((options.named ?? []).map(refKey));
  const related = new Set((options.related ?? []).map(refKey));
  // Groups touching what the question names or what that depends on outrank every other group,
  // whatever their severities. Among them the usual score decides: a failing dependency often
  // explains the named thing's symptom, so naming a thing does not put its own finding first.
  const touches = (keys: Set<string>, root: Finding, symptoms: Finding[]): boolean =>
    keys.size > 0 && [root, ...symptoms].some((f) => touched(f).some((k) => keys.has(k)));
  const score = (root: Finding, symptoms: Finding[]) => {
    const focused = [root, ...symptoms].some((f) =>
      names(f).some((n) => words.has(n) || n.split('-').some((part) => part.length >= 4 && words.has(part))),
    );
    return (
      SEVERITY_WEIGHT[root.severity] * 10 +
      root.confidence * 5 +
      Math.min(symptoms.length, 5) +
      causeWeight(root) +
      (focused ? 8 : 0)
    );
  };
  const ordered = [...groups]
    .map(([root, symptoms]) => ({
      root,
      symptoms,
      tier: touches(named, root, symptoms) || touches(related, root, symptoms) ? 1 : 0,
      named: touches(named, root, symptoms) ? 1 : 0,
      score: score(root, symptoms),
    }))
    .sort((x, y) => y.tier - x.tier || y.score - x.score || y.named - x.named);

  const placed = new Set<Finding>();
  const out: Finding[] = [];
  for (const { root, symptoms } of ordered) {
    out.push(root, ...symptoms);
    placed.add(root);
    symptoms.forEach((s) => placed.add(s));
  }
  out.push(...findings.filter((f) => !placed.has(f)));
  return {
    findings: out,
    rootCauses: ordered.map((g) => g.root),
    groups: ordered.map(({ root, symptoms }) => ({ root, symptoms })),
  };
}
