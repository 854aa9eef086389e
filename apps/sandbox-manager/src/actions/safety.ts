// The safety rules an action must pass at validation and again right before it is executed:
// protected namespaces and objects are refused, so is a live patch on an object Argo CD or Flux
// manages unless chosen explicitly, the target must still look as the proposal saw it
// (resourceVersion or the digest of the fields the action touches), a scale is clamped to the
// configured range, and a resources patch is held to the configured maxima (edit-checks.ts).
// Pure functions over the target as read; the I/O is executor.ts's.
import {
  type ExecutableAction,
  type ExpectedTarget,
  gitOpsManagerOf,
  type ResourceMaxima,
  revertsLivePatches,
} from '@foxhound/contracts';
import { targetDigest } from '@foxhound/kube';
import { type ManagerConfig } from '../config/schema';

export interface SafetyPolicy {
  protectedNamespaces: ReadonlySet<string>;
  /** Label keys (with a value, or any value when undefined) that mark an object as off-limits. */
  protectedLabels: ReadonlyArray<{ key: string; value?: string }>;
  scaleMin: number;
  scaleMax: number;
  /** The most a PatchContainerResources may give one container. */
  resourceMaxima: ResourceMaxima;
}

/** Namespaces every cluster must keep its hands off, whatever the configuration says. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];
/** Labels Foxhound's own objects carry (the chart's and the manager's). */
export const FOXHOUND_LABELS = [
  { key: 'app.kubernetes.io/managed-by', value: 'foxhound' },
  { key: 'app.kubernetes.io/part-of', value: 'foxhound' },
];

export function safetyPolicy(config: ManagerConfig): SafetyPolicy {
  const extra = config.ACTIONS_PROTECTED_LABEL;
  const [key, value] = extra?.includes('=') ? extra.split('=', 2) : [extra, undefined];
  return {
    protectedNamespaces: new Set([
      ...SYSTEM_NAMESPACES,
      config.ACTIONS_WRITER_NAMESPACE,
      config.SANDBOX_NAMESPACE,
      ...config.ACTIONS_PROTECTED_NAMESPACES,
    ]),
    protectedLabels: [...FOXHOUND_LABELS, ...(key ? [{ key, value }] : [])],
    scaleMin: config.ACTIONS_SCALE_MIN,
    scaleMax: config.ACTIONS_SCALE_MAX,
    resourceMaxima: { cpu: config.ACTIONS_MAX_CPU, memory: config.ACTIONS_MAX_MEMORY },
  };
}

export const describeAction = (action: ExecutableAction): string =>
  `${action.type} ${action.namespace}/${action.name}`;

export function namespaceRefusal(action: ExecutableAction, policy: SafetyPolicy): string | undefined {
  if (!policy.protectedNamespaces.has(action.namespace)) return undefined;
  return `${describeAction(action)}: namespace ${action.namespace} is protected; Foxhound never changes anything there.`;
}

export function labelRefusal(
  action: ExecutableAction,
  labels: Readonly<Record<string, string>> | undefined,
  policy: SafetyPolicy,
): string | undefined {
  const hit = policy.protectedLabels.find(
    ({ key, value }) => labels?.[key] !== undefined && (value === undefined || labels[key] === value),
  );
  if (!hit) return undefined;
  return `${describeAction(action)}: the target is labelled ${hit.key}=${labels?.[hit.key]} and is protected.`;
}

/**
 * A live patch on an object Argo CD or Flux manages is reverted at the next sync: refused with the
 * reason, unless the approver chose it explicitly (and said why). Helm-installed objects pass.
 */
export function gitOpsRefusal(
  action: ExecutableAction,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> },
  livePatchOnGitOps: { reason: string } | undefined,
): string | undefined {
  const managedBy = gitOpsManagerOf(meta);
  if (!managedBy || !revertsLivePatches(managedBy.tool) || livePatchOnGitOps) return undefined;
  return `${describeAction(action)}: ${managedBy.tool} manages the target (${managedBy.owner}, ${managedBy.evidence}) and would revert a live patch at its next sync; change it in Git, or approve the live patch explicitly with a reason (livePatchOnGitOps).`;
}

/**
 * The target must be what the approver saw. A resourceVersion match is enough; otherwise the
 * digest of the touched fields must match (a status-only change moves the version, not the digest).
 */
export function staleRefusal(
  action: ExecutableAction,
  object: { metadata?: { resourceVersion?: string }; spec?: unknown },
  expected: ExpectedTarget | undefined,
): string | undefined {
  if (!expected || (expected.resourceVersion === undefined && expected.digest === undefined))
    return undefined;
  if (expected.resourceVersion !== undefined && object.metadata?.resourceVersion === expected.resourceVersion)
    return undefined;
  if (expected.digest !== undefined) {
    const now = targetDigest(action, object);
    if (now === expected.digest) return undefined;
    return `${describeAction(action)}: the target changed since the proposal (digest ${expected.digest} then, ${now} now); propose again from its current state.`;
  }
  return `${describeAction(action)}: the target changed since the proposal (resourceVersion ${expected.resourceVersion} then, ${object.metadata?.resourceVersion} now); propose again from its current state.`;
}

/** A scale outside the configured range is clamped to it; the note says so in the execution. */
export function clampAction(
  action: ExecutableAction,
  policy: SafetyPolicy,
): { action: ExecutableAction; note?: string } {
  if (action.type !== 'ScaleDeployment') return { action };
  const replicas = Math.min(policy.scaleMax, Math.max(policy.scaleMin, action.replicas));
  if (replicas === action.replicas) return { action };
  return {
    action: { ...action, replicas },
    note: `Clamped from ${action.replicas} to ${replicas} replicas (ACTIONS_SCALE_MIN..ACTIONS_SCALE_MAX is ${policy.scaleMin}..${policy.scaleMax}).`,
  };
}
