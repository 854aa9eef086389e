// What an agent-sandbox object's status says: ready (with the sandbox name and pod IPs to route
// to), still starting (with the last Ready reason), or failed for good. Pure, so the rules that
// decide when a caller stops waiting have their own table test.
import { CLAIM_FATAL_REASONS, type Condition, type Sandbox, type SandboxClaim } from '@foxhound/contracts';

export type Readiness =
  | { state: 'ready'; sandboxName: string; podIPs: string[] }
  | { state: 'pending'; reason: string; message?: string }
  | { state: 'failed'; reason: string; message?: string };

/** Sandbox Ready=False reasons after which the sandbox will not come back by itself. */
const SANDBOX_FATAL_REASONS: readonly string[] = ['SandboxExpired', 'PodSucceeded', 'PodFailed'];

export function readyCondition(conditions: Condition[] | undefined): Condition | undefined {
  return conditions?.find((condition) => condition.type === 'Ready');
}

/** IPv4 addresses first (the SIG SDK's preference), then the rest, as given. */
export function orderPodIPs(ips: readonly string[] | undefined): string[] {
  const all = [...(ips ?? [])];
  return [...all.filter((ip) => !ip.includes(':')), ...all.filter((ip) => ip.includes(':'))];
}

/**
 * A claim is ready once its status names a sandbox and Ready is True (the controller writes the
 * name, the pod IPs and the forwarded Ready in one update on warm adoption).
 */
export function claimReadiness(claim: SandboxClaim): Readiness {
  if (claim.metadata.deletionTimestamp)
    return { state: 'failed', reason: 'Deleting', message: 'the claim is being deleted' };
  const ready = readyCondition(claim.status?.conditions);
  const sandboxName = claim.status?.sandbox?.name;
  if (ready?.status === 'True' && sandboxName) {
    return { state: 'ready', sandboxName, podIPs: orderPodIPs(claim.status?.sandbox?.podIPs) };
  }
  const reason = ready?.reason ?? (sandboxName ? 'SandboxNotReady' : 'Pending');
  const outcome = CLAIM_FATAL_REASONS.includes(reason) ? 'failed' : 'pending';
  return { state: outcome, reason, message: ready?.message };
}

/** A bare Sandbox is ready when Ready is True and it has a pod IP. */
export function sandboxReadiness(sandbox: Sandbox): Readiness {
  if (sandbox.metadata.deletionTimestamp) {
    return { state: 'failed', reason: 'Deleting', message: 'the sandbox is being deleted' };
  }
  const ready = readyCondition(sandbox.status?.conditions);
  const podIPs = orderPodIPs(sandbox.status?.podIPs);
  if (ready?.status === 'True' && podIPs.length > 0) {
    return { state: 'ready', sandboxName: sandbox.metadata.name ?? '', podIPs };
  }
  const reason = ready?.reason ?? 'Pending';
  const outcome = SANDBOX_FATAL_REASONS.includes(reason) ? 'failed' : 'pending';
  return { state: outcome, reason, message: ready?.message };
}

/** "reason: message" for errors and logs. */
export function describeReadiness(readiness: Readiness): string {
  if (readiness.state === 'ready') return `ready (${readiness.sandboxName})`;
  return readiness.message ? `${readiness.reason}: ${readiness.message}` : readiness.reason;
}
