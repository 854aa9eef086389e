// The offline engine's judgement calls, kept apart from its control flow: which namespaces a prompt
// names, which read confirms each kind of root cause (events, quota arithmetic, image check,
// endpoints, resource use), whose logs and changes to read, and which follow-up sizes the impact.
import { type Finding, type ObjectRef } from '@foxhound/contracts';
import { type RankedGroup } from '@foxhound/diagnostics';
import { resolveKind } from '../cluster/kinds';

export interface PlannedCall {
  tool: string;
  input: Record<string, unknown>;
}

export interface LogTarget {
  workload: ObjectRef;
  pod?: ObjectRef;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const QUOTA_REASONS = new Set(['QuotaAtLimit', 'QuotaExceeded', 'FailedCreate', 'LimitRangeViolation']);
const IMAGE_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);
const SERVICE_REASONS = new Set([
  'SelectorMatchesNothing',
  'SelectsNothing',
  'NoReadyEndpoints',
  'EndpointsNotReady',
  'TargetPortMismatch',
]);
const USAGE_REASONS = new Set(['OOMKilled', 'MemoryNearLimit', 'CPUThrottled']);

/** Namespaces the text names as words, and the application namespaces (not kube-* or *-system). */
export function scopeFromText(
  text: string,
  namespaces: string[],
): { named: string[]; application: string[] } {
  const lower = text.toLowerCase();
  const named = namespaces.filter((ns) => {
    // "default" is a common word: only count it when the text says "default namespace" or "namespace default".
    if (ns === 'default') return /\bdefault namespace\b|\bnamespace[: ]+default\b/.test(lower);
    return new RegExp(`(^|[^a-z0-9-])${ns.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9-]|$)`).test(lower);
  });
  const application = namespaces.filter((ns) => !ns.startsWith('kube-') && !ns.endsWith('-system'));
  return { named, application };
}

/** The investigator's reads for a root cause: the object with its events, then the confirming read. */
export function investigatorPlan(root: Finding): PlannedCall[] {
  const { kind, namespace, name } = root.object;
  const calls: PlannedCall[] = [];
  if (resolveKind(kind)) calls.push({ tool: 'kubectl_describe', input: { kind, namespace, name } });
  const ns = namespace ?? root.parent?.namespace;
  if (!ns) return calls;
  if (kind === 'ResourceQuota' || kind === 'LimitRange' || QUOTA_REASONS.has(root.reason)) {
    calls.push({ tool: 'quota_explain', input: { namespace: ns } });
  } else if (IMAGE_REASONS.has(root.reason)) {
    calls.push({ tool: 'image_check', input: { namespace: ns, name: (root.parent ?? root.object).name } });
  } else if (kind === 'Service' || SERVICE_REASONS.has(root.reason)) {
    calls.push({ tool: 'get_endpoints', input: { namespace: ns, service: name } });
  } else if (USAGE_REASONS.has(root.reason)) {
    calls.push({ tool: 'kubectl_top', input: { namespace: ns } });
  } else {
    calls.push({ tool: 'kubectl_events', input: { namespace: ns, type: 'Warning', limit: 15 } });
  }
  return calls;
}

/** The workload whose logs and changes matter, and a failing pod of it, if any. */
export function logTarget(group: RankedGroup): LogTarget | undefined {
  const all = [group.root, ...group.symptoms];
  const workload = all
    .map((f) =>
      WORKLOAD_KINDS.has(f.object.kind)
        ? f.object
        : f.parent && WORKLOAD_KINDS.has(f.parent.kind)
          ? f.parent
          : undefined,
    )
    .find((r) => r !== undefined);
  if (!workload) return undefined;
  const pod = all.find(
    (f) => f.object.kind === 'Pod' && (f.parent === undefined || f.parent.name === workload.name),
  )?.object;
  return { workload, ...(pod ? { pod } : {}) };
}

/** The blast radius of what the root cause breaks: its workload, or the workload its symptoms hit. */
export function followUps(group: RankedGroup): PlannedCall[] {
  const target = [group.root, ...group.symptoms]
    .map((f) => f.parent ?? f.object)
    .find((r) => WORKLOAD_KINDS.has(r.kind) || r.kind === 'Service');
  if (!target?.namespace) return [];
  return [
    { tool: 'blast_radius', input: { kind: target.kind, namespace: target.namespace, name: target.name } },
  ];
}
