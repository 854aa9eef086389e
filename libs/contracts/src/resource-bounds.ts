// The bounds a PatchContainerResources must stay within, and the refusal when it does not: the
// configured maxima, the namespace's LimitRanges (Container max and min, as LimitRanger admission
// checks them) and its ResourceQuotas (what the workload's pods would use after the change, from
// the quota's `status.used`). The proposal states the bounds; the manager checks them again
// against the live objects right before the write.
import { type EditableObject } from './object-edits';
import { parseQuantity } from './quantity';

/** A container's resources as a pod template states them. */
export type ContainerResources = { requests?: Record<string, string>; limits?: Record<string, string> };

export interface ResourceMaxima {
  cpu: string;
  memory: string;
}
/** Defaults for ACTIONS_MAX_CPU / ACTIONS_MAX_MEMORY: one container never asks for more. */
export const DEFAULT_RESOURCE_MAXIMA: ResourceMaxima = { cpu: '8', memory: '32Gi' };

export interface LimitRangeLike {
  metadata: { name: string };
  spec?: { limits?: { type?: string; max?: Record<string, string>; min?: Record<string, string> }[] };
}
export interface QuotaLike {
  metadata: { name: string };
  spec?: { hard?: Record<string, string>; scopes?: string[]; scopeSelector?: unknown };
  status?: { used?: Record<string, string> };
}

export interface BoundsInput {
  /** The container's resources before and after the edit. */
  before: ContainerResources;
  after: ContainerResources;
  /** Pods the workload runs (desired replicas; a DaemonSet: scheduled pods). */
  pods: number;
  limitRanges: LimitRangeLike[];
  quotas: QuotaLike[];
  maxima: ResourceMaxima;
}

export interface BoundsCheck {
  refusal?: string;
  /** Every bound that applies, as the proposal states it. */
  bounds: string[];
}

const RESOURCES = ['cpu', 'memory'] as const;

export function checkResourceBounds(input: BoundsInput): BoundsCheck {
  const { after, maxima } = input;
  const bounds: string[] = [];
  const violations: string[] = [];
  const value = (r: ContainerResources, kind: 'requests' | 'limits', res: string) =>
    parseQuantity(r[kind]?.[res]);

  for (const res of RESOURCES) {
    bounds.push(`at most ${maxima[res]} ${res} per container (configured maximum)`);
    for (const kind of ['requests', 'limits'] as const) {
      const v = value(after, kind, res);
      if (v !== undefined && v > (parseQuantity(maxima[res]) ?? Infinity))
        violations.push(
          `${kind}.${res} ${after[kind]?.[res]} is above the configured maximum ${maxima[res]}`,
        );
    }
  }
  for (const lr of input.limitRanges) {
    for (const item of lr.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      for (const res of RESOURCES) {
        const max = item.max?.[res];
        const min = item.min?.[res];
        if (max) bounds.push(`LimitRange ${lr.metadata.name}: Container max ${res} ${max}`);
        if (min) bounds.push(`LimitRange ${lr.metadata.name}: Container min ${res} ${min}`);
        for (const kind of ['requests', 'limits'] as const) {
          const v = value(after, kind, res);
          if (v === undefined) continue;
          if (max && v > (parseQuantity(max) ?? Infinity))
            violations.push(
              `${kind}.${res} ${after[kind]?.[res]} is above LimitRange ${lr.metadata.name}'s max ${max}`,
            );
          if (min && v < (parseQuantity(min) ?? 0))
            violations.push(
              `${kind}.${res} ${after[kind]?.[res]} is below LimitRange ${lr.metadata.name}'s min ${min}`,
            );
        }
      }
    }
  }
  for (const quota of input.quotas) {
    for (const [resource, hardValue] of Object.entries(quota.spec?.hard ?? {})) {
      const field = quotaField(resource);
      if (!field) continue;
      const hard = parseQuantity(hardValue) ?? Infinity;
      const used = parseQuantity(quota.status?.used?.[resource]) ?? 0;
      const delta =
        ((value(input.after, field.kind, field.res) ?? 0) -
          (value(input.before, field.kind, field.res) ?? 0)) *
        input.pods;
      const next = used + delta;
      bounds.push(
        `ResourceQuota ${quota.metadata.name}: ${resource} ${formatAmount(used, field.res)} used of ${hardValue}, ${formatAmount(next, field.res)} after the change`,
      );
      if (delta > 0 && next > hard)
        violations.push(
          `ResourceQuota ${quota.metadata.name} would be exceeded: ${resource} would reach ${formatAmount(next, field.res)} of ${hardValue}`,
        );
    }
  }
  return violations.length
    ? { refusal: `the change would break its bounds: ${violations.join('; ')}.`, bounds }
    : { bounds };
}

/** A container's requests and limits in a workload's pod template. */
export function containerResources(workload: EditableObject, container: string): ContainerResources {
  const spec = (
    workload.spec?.template as { spec?: { containers?: { name: string; resources?: ContainerResources }[] } }
  )?.spec;
  return spec?.containers?.find((c) => c.name === container)?.resources ?? {};
}

/** How many pods a workload runs: its replicas, a DaemonSet's scheduled count. */
export function workloadPods(workload: EditableObject): number {
  if (workload.kind === 'DaemonSet') return Number(workload.status?.desiredNumberScheduled ?? 1);
  return Number(workload.spec?.replicas ?? 1);
}

/** Which container field a quota resource counts: `limits.memory`, `requests.cpu`, bare `cpu` (= requests). */
function quotaField(resource: string): { kind: 'requests' | 'limits'; res: 'cpu' | 'memory' } | undefined {
  const match = /^(?:(requests|limits)\.)?(cpu|memory)$/.exec(resource);
  if (!match) return undefined;
  return {
    kind: (match[1] as 'requests' | 'limits' | undefined) ?? 'requests',
    res: match[2] as 'cpu' | 'memory',
  };
}

function formatAmount(n: number, res: 'cpu' | 'memory'): string {
  if (res === 'cpu') return n < 1 ? `${Math.round(n * 1000)}m` : `${Math.round(n * 1000) / 1000}`;
  const mi = n / 2 ** 20;
  return mi >= 1024 ? `${Math.round((mi / 1024) * 100) / 100}Gi` : `${Math.round(mi)}Mi`;
}
