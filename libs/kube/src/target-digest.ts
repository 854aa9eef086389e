// A digest of the fields a remediation action touches, as they are on the target now. The agent
// stores it in a proposal; the sandbox-manager recomputes it right before executing and refuses a
// target whose digest changed, so a human's approval never applies to a different state.
import { createHash } from 'node:crypto';

/** Actions that change a workload's pod template: its digest covers the template's spec. */
const TEMPLATE_ACTIONS = new Set([
  'PatchDeploymentImage',
  'RollbackDeployment',
  'RolloutRestart',
  'PatchContainerResources',
  'PatchContainerProbe',
  'PatchContainerCommand',
  'PatchContainerEnv',
  'PatchPodScheduling',
  'PatchPodSecurityContext',
]);

export function targetDigest(action: { type: string }, object: object): string {
  const raw = object as { spec?: unknown; data?: unknown; binaryData?: unknown; rules?: unknown };
  const spec = (raw.spec ?? {}) as Record<string, unknown>;
  const template = (spec.template as { spec?: unknown } | undefined)?.spec;
  // A ConfigMap has no spec: its data is what an action touches; a Role's, its rules.
  const touched =
    action.type === 'ScaleDeployment'
      ? spec.replicas
      : TEMPLATE_ACTIONS.has(action.type)
        ? template
        : action.type === 'AddRoleRule'
          ? raw.rules
          : (raw.spec ?? { data: raw.data, binaryData: raw.binaryData });
  return createHash('sha256')
    .update(JSON.stringify(touched ?? null))
    .digest('hex')
    .slice(0, 16);
}
