// A digest of the fields a remediation action touches, as they are on the target now. The agent
// stores it in a proposal; the sandbox-manager recomputes it right before executing and refuses a
// target whose digest changed, so a human's approval never applies to a different state.
import { createHash } from 'node:crypto';

export function targetDigest(action: { type: string }, object: object): string {
  const spec = ((object as { spec?: unknown }).spec ?? {}) as Record<string, unknown>;
  const template = (spec.template as { spec?: unknown } | undefined)?.spec;
  const touched =
    action.type === 'ScaleDeployment'
      ? spec.replicas
      : action.type === 'PatchDeploymentImage' ||
          action.type === 'RollbackDeployment' ||
          action.type === 'RolloutRestart'
        ? template
        : spec;
  return createHash('sha256')
    .update(JSON.stringify(touched ?? null))
    .digest('hex')
    .slice(0, 16);
}
