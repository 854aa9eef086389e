// Focus: which cluster objects a question or alert is about. Every term (terms.ts) is matched
// (match.ts) against the names of the objects in the snapshot and against what those objects carry
// that people call them by: workload container names, image names and tags, `app` label values.
// Pods resolve to their workload too. What the named things depend on (the Services in front of
// them, the Services they call and the workloads behind those, the ConfigMaps and Secrets they read,
// the nodes they run on) is `related`: it ranks right after them. Nothing is hard-coded: a name is
// only ever matched against what the cluster holds.
import { type ObjectRef } from '@foxhound/contracts';
import { parseImage } from '../causes/images';
import { serviceGraph } from '../causes/graph';
import { KIND_OF, type Lookup } from '../lookup';
import { type KubeObject, type PodSpec, type PodTemplateSpec, type SnapshotKind } from '../snapshot';
import { refKey, refOf } from '../util/refs';
import { extractTerms, type FocusInput, type Term } from './terms';
import { matchName, type MatchHow } from './match';

export interface FocusMatch {
  term: string;
  ref: ObjectRef;
  how: MatchHow | 'container' | 'image' | 'tag' | 'label' | 'pod';
  score: number;
}

export interface Focus {
  /** Terms that were tried as names, in order of appearance. */
  terms: string[];
  /** The best matches per term. */
  matches: FocusMatch[];
  /** Objects the question names, best first (a named pod brings its workload). */
  named: ObjectRef[];
  /** What the named objects depend on or are served by. */
  related: ObjectRef[];
  /** Namespaces the question names or the named objects live in. */
  namespaces: string[];
  /** Terms that look like names (separators, digits, a kind word or a label) and match nothing. */
  unresolved: string[];
}

const NAMED_KINDS: readonly SnapshotKind[] = [
  'deployments',
  'statefulSets',
  'daemonSets',
  'jobs',
  'cronJobs',
  'services',
  'ingresses',
  'configMaps',
  'secrets',
  'persistentVolumeClaims',
  'horizontalPodAutoscalers',
  'resourceQuotas',
  'nodes',
];
const WORKLOAD_LISTS = ['deployments', 'statefulSets', 'daemonSets', 'jobs', 'cronJobs'] as const;
const WORKLOAD_KINDS = new Set(WORKLOAD_LISTS.map((k) => KIND_OF[k]));
const NAME_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'k8s-app', 'component'];
/** More ties than this for one term means the term is too generic to point at anything. */
const MAX_TIES = 8;
/** Below this a match is noise. */
const MIN_SCORE = 0.7;

interface Alias {
  ref: ObjectRef;
  name: string;
  how?: FocusMatch['how'];
  /** Aliases weigh a little less than the object's own name. */
  weight: number;
}

function templateOf(kind: (typeof WORKLOAD_LISTS)[number], obj: KubeObject): PodTemplateSpec | undefined {
  const spec = (
    obj as { spec?: { template?: PodTemplateSpec; jobTemplate?: { spec?: { template?: PodTemplateSpec } } } }
  ).spec;
  return kind === 'cronJobs' ? spec?.jobTemplate?.spec?.template : spec?.template;
}

function containersOf(spec: PodSpec | undefined) {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

/** Every name an object answers to. */
function aliasesOf(l: Lookup): Alias[] {
  const out: Alias[] = [];
  for (const list of NAMED_KINDS) {
    for (const obj of l.list(list)) {
      const ref = refOf(KIND_OF[list], obj);
      out.push({ ref, name: obj.metadata.name, weight: 1 });
      if (!(WORKLOAD_LISTS as readonly string[]).includes(list)) continue;
      const template = templateOf(list as (typeof WORKLOAD_LISTS)[number], obj);
      for (const label of NAME_LABELS) {
        const value = template?.metadata?.labels?.[label] ?? obj.metadata.labels?.[label];
        if (value && value !== obj.metadata.name) out.push({ ref, name: value, how: 'label', weight: 0.97 });
      }
      for (const c of containersOf(template?.spec)) {
        if (c.name !== obj.metadata.name) out.push({ ref, name: c.name, how: 'container', weight: 0.95 });
        const image = c.image ? parseImage(c.image) : undefined;
        const repo = image?.repository.split('/').pop();
        if (repo && repo !== obj.metadata.name) out.push({ ref, name: repo, how: 'image', weight: 0.95 });
      }
    }
  }
  return out;
}

/** Image tags a workload runs or rolled out (a Deployment's ReplicaSets carry its earlier and newer tags). */
function tagsOf(l: Lookup): Map<string, ObjectRef[]> {
  const tags = new Map<string, ObjectRef[]>();
  const add = (tag: string | undefined, ref: ObjectRef) => {
    if (!tag) return;
    const t = tag.toLowerCase();
    const list = tags.get(t) ?? [];
    if (!list.some((r) => refKey(r) === refKey(ref))) list.push(ref);
    tags.set(t, list);
  };
  for (const list of WORKLOAD_LISTS) {
    for (const obj of l.list(list)) {
      const ref = refOf(KIND_OF[list], obj);
      for (const c of containersOf(templateOf(list, obj)?.spec))
        add(c.image && parseImage(c.image)?.tag, ref);
    }
  }
  for (const rs of l.list('replicaSets')) {
    const owner = rs.metadata.ownerReferences?.find((o) => o.kind === 'Deployment');
    if (!owner) continue;
    const ref: ObjectRef = { kind: 'Deployment', name: owner.name, namespace: rs.metadata.namespace };
    for (const c of containersOf(rs.spec.template?.spec)) add(c.image && parseImage(c.image)?.tag, ref);
  }
  return tags;
}

function kindFits(term: Term, ref: ObjectRef): boolean {
  if (!term.kind) return false;
  if (term.kind === 'Workload' || term.kind === 'Container' || term.kind === 'Image')
    return WORKLOAD_KINDS.has(ref.kind);
  return term.kind === ref.kind;
}

function matchTerm(term: Term, aliases: Alias[], tags: Map<string, ObjectRef[]>, l: Lookup): FocusMatch[] {
  // `name:tag` names an image: match its repository, and its tag, both.
  const image = term.text.includes(':') ? parseImage(term.text) : undefined;
  const text = image ? (image.repository.split('/').pop() ?? term.text) : term.text;
  const found: FocusMatch[] = [];
  if (/^v?\d+(\.\d+)+([-+.][0-9a-z.-]+)?$/.test(text) || image?.tag) {
    const tag = (image?.tag ?? text).toLowerCase();
    // `3.12.1` and `v3.12.1` are often said for each other: the exact tag wins when both exist.
    const other = tag.startsWith('v') ? tag.slice(1) : `v${tag}`;
    for (const ref of tags.get(tag) ?? []) found.push({ term: term.text, ref, how: 'tag', score: 0.9 });
    for (const ref of tags.get(other) ?? []) found.push({ term: term.text, ref, how: 'tag', score: 0.8 });
  }
  const pod = l.list('pods').find((p) => p.metadata.name === text);
  if (pod) {
    const ref = refOf('Pod', pod);
    found.push({ term: term.text, ref, how: 'pod', score: 1 });
    const workload = l.workloadOf(pod);
    if (workload) found.push({ term: term.text, ref: workload, how: 'pod', score: 0.99 });
  }
  for (const ns of l.list('namespaces')) {
    const m = matchName(text, ns.metadata.name);
    if (m && m.score >= 0.9)
      found.push({ term: term.text, ref: refOf('Namespace', ns), how: m.how, score: m.score });
  }
  for (const a of aliases) {
    const m = matchName(text, a.name);
    if (!m) continue;
    // "the checkout service": the Service named like it weighs as much as the workload named exactly.
    const score = m.score * a.weight + (kindFits(term, a.ref) ? 0.12 : 0);
    if (score >= MIN_SCORE) found.push({ term: term.text, ref: a.ref, how: a.how ?? m.how, score });
  }
  if (found.length === 0) return [];
  const best = Math.max(...found.map((f) => f.score));
  const seen = new Set<string>();
  const top = found
    .filter((f) => f.score >= best - 0.06)
    .sort((a, b) => b.score - a.score)
    .filter((f) => !seen.has(refKey(f.ref)) && seen.add(refKey(f.ref)));
  return top.length > MAX_TIES ? [] : top;
}

/** What the named objects depend on, and what stands in front of them. */
function relatedTo(l: Lookup, named: ObjectRef[]): ObjectRef[] {
  const graph = serviceGraph(l);
  const out = new Map<string, ObjectRef>();
  const add = (r: ObjectRef) => out.set(refKey(r), r);
  for (const ref of named) {
    if (ref.kind === 'Service') graph.backendsOf(ref).forEach(add);
    if (!WORKLOAD_KINDS.has(ref.kind)) continue;
    graph.servicesOf(ref).forEach(add);
    for (const dep of graph.dependenciesOf(ref)) {
      add(dep.service);
      graph.backendsOf(dep.service).forEach(add);
    }
    for (const pod of l.podsOf(ref)) {
      if (pod.spec.nodeName) add({ kind: 'Node', name: pod.spec.nodeName });
      for (const c of containersOf(pod.spec)) {
        for (const e of c.env ?? []) {
          const cm = e.valueFrom?.configMapKeyRef?.name;
          const secret = e.valueFrom?.secretKeyRef?.name;
          if (cm) add({ kind: 'ConfigMap', namespace: ref.namespace, name: cm });
          if (secret) add({ kind: 'Secret', namespace: ref.namespace, name: secret });
        }
        for (const e of c.envFrom ?? []) {
          if (e.configMapRef) add({ kind: 'ConfigMap', namespace: ref.namespace, name: e.configMapRef.name });
          if (e.secretRef) add({ kind: 'Secret', namespace: ref.namespace, name: e.secretRef.name });
        }
      }
      for (const v of pod.spec.volumes ?? []) {
        if (v.configMap) add({ kind: 'ConfigMap', namespace: ref.namespace, name: v.configMap.name });
        if (v.secret) add({ kind: 'Secret', namespace: ref.namespace, name: v.secret.secretName });
      }
    }
  }
  const namedKeys = new Set(named.map(refKey));
  return [...out.values()].filter((r) => !namedKeys.has(refKey(r)));
}

export function resolveFocus(l: Lookup, input: FocusInput): Focus {
  const terms = extractTerms(input);
  const aliases = aliasesOf(l);
  const tags = tagsOf(l);
  const matches: FocusMatch[] = [];
  const unresolved: string[] = [];
  for (const term of terms) {
    const found = matchTerm(term, aliases, tags, l);
    if (found.length === 0 && term.nameLike) unresolved.push(term.text);
    matches.push(...found);
  }
  // A term inside a longer matched term (`order` in `order-processor`) adds nothing of its own.
  const namedMap = new Map<string, { ref: ObjectRef; score: number }>();
  for (const m of matches) {
    if (m.ref.kind === 'Namespace') continue;
    const prev = namedMap.get(refKey(m.ref));
    if (!prev || prev.score < m.score) namedMap.set(refKey(m.ref), { ref: m.ref, score: m.score });
  }
  const named = [...namedMap.values()].sort((a, b) => b.score - a.score).map((n) => n.ref);
  const namespaces = [
    ...new Set([
      ...matches.filter((m) => m.ref.kind === 'Namespace').map((m) => m.ref.name),
      ...named.flatMap((r) => (r.namespace ? [r.namespace] : [])),
    ]),
  ];
  const matchedTerms = new Set(matches.map((m) => m.term));
  return {
    terms: terms.map((t) => t.text),
    matches,
    named,
    related: relatedTo(l, named),
    namespaces,
    // A term that is part of a matched longer one ("3.12.1" in "catalog-api:3.12.1") is not unresolved.
    unresolved: unresolved.filter((u) => ![...matchedTerms].some((t) => t !== u && t.includes(u))),
  };
}
