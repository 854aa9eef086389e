// diagnose(): the whole offline investigation over one snapshot. Runs the analyzers, ranks the
// findings into root causes with their symptoms, and gathers what a report needs and a human wants
// to verify: what was examined, the timeline of events and changes, the blast radius, and the
// resourceVersions of the objects a fix would touch.
import {
  actionTargetKind,
  type Finding,
  type InvestigationReport,
  type ObjectRef,
} from '@foxhound/contracts';
import { coreAnalyzers, type Analyzer } from './analyzers';
import { changesOf } from './causes/changes';
import { serviceGraph } from './causes/graph';
import { logCoverage } from './causes/log-health';
import { type Focus, resolveFocus } from './focus';
import { KIND_OF, lookup, TARGET_LIST, type Lookup } from './lookup';
import { rank, type RankedGroup } from './rank';
import { isProblem, runAnalyzers, type AnalyzerError } from './runner';
import { type ClusterSnapshot, type SnapshotGap, SNAPSHOT_KINDS } from './snapshot';
import { eventTime } from './util/finding';
import { refKey } from './util/refs';
import { toMillis } from './util/time';

export type TimelineEntry = InvestigationReport['timeline'][number];

export interface Diagnosis {
  status: 'ok' | 'problems';
  /** Root causes of medium severity or worse, most important first. */
  rootCauses: Finding[];
  /** Every finding, ranked: each root cause followed by its symptoms. */
  findings: Finding[];
  groups: RankedGroup[];
  /** What was examined, as human-readable lines. */
  checked: string[];
  errors: AnalyzerError[];
  capturedAt: string;
  namespaces: string[];
  gaps: SnapshotGap[];
  /** Events and changes around the top root cause, oldest first. */
  timeline: TimelineEntry[];
  /** Who suffers when the top root cause's object is broken. */
  blastRadius: ObjectRef[];
  /** resourceVersion per object (`Kind/namespace/name`) for every object a suggestion targets. */
  resourceVersions: Record<string, string>;
  /** What the question names, resolved to objects; absent when no focus text was given. */
  focus?: Focus;
}

export interface DiagnoseOptions {
  analyzers?: readonly Analyzer[];
  /** The prompt or alert text: root causes touching the objects it names rank first. */
  focus?: string;
  /** Alert labels (`deployment`, `pod`, `service`, `namespace`...): names by construction. */
  labels?: Record<string, string>;
}

const MAX_TIMELINE = 30;

function checkedLines(l: Lookup, analyzers: readonly Analyzer[]): string[] {
  const s = l.snapshot;
  const scope = s.namespaces.length ? `namespace(s) ${s.namespaces.join(', ')}` : 'all namespaces';
  const counts = SNAPSHOT_KINDS.filter((k) => k !== 'events' && l.list(k).length).map(
    (k) => `${l.list(k).length} ${KIND_OF[k]}`,
  );
  const logs = s.logs.filter((x) => l.inScope(x.namespace));
  return [
    `scope: ${scope}`,
    `objects: ${counts.join(', ') || 'none'}`,
    `events: ${l.list('events').length}`,
    `container logs: ${logs.filter((x) => !x.previous).length} current, ${logs.filter((x) => x.previous).length} previous`,
    ...logCoverage(l),
    `metrics: ${s.podMetrics.length} PodMetrics, ${s.metrics.length} Prometheus series`,
    `analyzers: ${analyzers.map((a) => a.name).join(', ')}`,
  ];
}

/** The workload or object a finding is about, as a human would name the broken thing. */
export function affectedOf(f: Finding): ObjectRef {
  return f.parent ?? f.object;
}

function timelineOf(l: Lookup, group: RankedGroup | undefined): TimelineEntry[] {
  if (!group) return [];
  const entries: TimelineEntry[] = [];
  const refs = new Map<string, ObjectRef>();
  for (const f of [group.root, ...group.symptoms]) {
    refs.set(refKey(f.object), f.object);
    if (f.parent) refs.set(refKey(f.parent), f.parent);
  }
  for (const ref of refs.values()) {
    for (const e of l.eventsFor(ref).slice(0, 10)) {
      const at = eventTime(e);
      if (at)
        entries.push({
          at,
          what: `${e.type === 'Warning' ? 'Warning ' : ''}${e.reason ?? ''}: ${e.message ?? ''}`.slice(
            0,
            300,
          ),
          ref,
        });
    }
    if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(ref.kind)) {
      const w =
        ref.kind === 'Deployment'
          ? l.get('deployments', ref.namespace, ref.name)
          : ref.kind === 'StatefulSet'
            ? l.get('statefulSets', ref.namespace, ref.name)
            : l.get('daemonSets', ref.namespace, ref.name);
      // Scaling is already in the events; rollouts and config edits are what the events lack.
      for (const c of changesOf(l, ref, w?.spec.template).filter((x) => x.kind !== 'scale'))
        entries.push({ at: c.at, what: c.what, ref: c.ref });
    }
  }
  const seen = new Set<string>();
  return entries
    .filter((e) => !seen.has(`${e.at}|${e.what}`) && seen.add(`${e.at}|${e.what}`))
    .sort((a, b) => (toMillis(a.at) ?? 0) - (toMillis(b.at) ?? 0))
    .slice(-MAX_TIMELINE);
}

/** The symptoms' workloads and everyone who calls the broken object or those workloads, transitively. */
function blastRadiusOf(l: Lookup, group: RankedGroup): ObjectRef[] {
  const graph = serviceGraph(l);
  const root = affectedOf(group.root);
  const out = new Map<string, ObjectRef>();
  const add = (ref: ObjectRef) =>
    refKey(ref) !== refKey(root) && ref.kind !== 'Pod' && out.set(refKey(ref), ref);
  for (const target of [root, ...group.symptoms.map(affectedOf)]) {
    add(target);
    graph.blastRadius(target).forEach(add);
  }
  return [...out.values()];
}

function resourceVersions(l: Lookup, findings: Finding[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) {
    const action = f.suggestion?.action;
    if (!action) continue;
    const kind = actionTargetKind(action);
    const obj = l.get(TARGET_LIST[kind], action.namespace, action.name);
    if (obj?.metadata.resourceVersion)
      out[refKey({ kind, name: action.name, namespace: action.namespace })] = obj.metadata.resourceVersion;
  }
  return out;
}

export function diagnose(snapshot: ClusterSnapshot, options: DiagnoseOptions = {}): Diagnosis {
  const analyzers = options.analyzers ?? coreAnalyzers;
  const l = lookup(snapshot);
  const result = runAnalyzers(snapshot, analyzers);
  const focus =
    options.focus || options.labels
      ? resolveFocus(l, { text: options.focus ?? '', labels: options.labels })
      : undefined;
  const ranking = rank(result.findings, {
    focus: options.focus,
    ...(focus ? { named: focus.named, related: focus.related } : {}),
  });
  const groups = ranking.groups.filter((g) => isProblem(g.root));
  const top = groups[0];
  return {
    status: groups.length ? 'problems' : 'ok',
    rootCauses: groups.map((g) => g.root),
    findings: ranking.findings,
    groups,
    checked: checkedLines(l, analyzers),
    errors: result.errors,
    capturedAt: snapshot.capturedAt,
    namespaces: snapshot.namespaces,
    gaps: snapshot.gaps,
    timeline: timelineOf(l, top),
    blastRadius: top ? blastRadiusOf(l, top) : [],
    resourceVersions: resourceVersions(l, ranking.findings),
    ...(focus ? { focus } : {}),
  };
}
