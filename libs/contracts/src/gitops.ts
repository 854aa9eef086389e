// Which lane a fix takes. An object that Argo CD or Flux manages is put back by its controller at
// the next sync, so a live patch there does not last (and fights the controller); it is refused
// unless an approver chooses it explicitly, and the proposal says so. Helm records its release on
// the objects it installs: a live patch lasts until the next upgrade, which the proposal says too.
// Detection reads only the labels and annotations these tools write (their documented tracking).
import { z } from 'zod';

export const GitOpsToolSchema = z.enum(['Argo CD', 'Flux', 'Helm']);
export type GitOpsTool = z.infer<typeof GitOpsToolSchema>;

export const DeliveryLaneSchema = z.object({
  lane: z.enum(['live-patch', 'pull-request']),
  /** Why this lane: nothing reconciles the target, or which tool does and what that means for a live patch. */
  reason: z.string().max(1000),
  managedBy: z
    .object({
      tool: GitOpsToolSchema,
      /** The Application, Kustomization, HelmRelease or Helm release named on the object. */
      owner: z.string().max(300),
      /** The label or annotation that says so. */
      evidence: z.string().max(500),
    })
    .optional(),
});
export type DeliveryLane = z.infer<typeof DeliveryLaneSchema>;

interface Meta {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The tool that manages an object, from the tracking it writes on it. */
export function gitOpsManagerOf(meta: Meta): DeliveryLane['managedBy'] {
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  // Argo CD: annotation tracking (`<app>:<group>/<kind>:<ns>/<name>`) or its instance label.
  const argoId = annotations['argocd.argoproj.io/tracking-id'];
  if (argoId)
    return {
      tool: 'Argo CD',
      owner: `Application ${argoId.split(':')[0]}`,
      evidence: `annotation argocd.argoproj.io/tracking-id=${argoId}`,
    };
  const argoInstance = labels['argocd.argoproj.io/instance'];
  if (argoInstance)
    return {
      tool: 'Argo CD',
      owner: `Application ${argoInstance}`,
      evidence: `label argocd.argoproj.io/instance=${argoInstance}`,
    };
  // Flux: kustomize-controller and helm-controller label what they apply with their object's name.
  for (const [prefix, kind] of [
    ['kustomize.toolkit.fluxcd.io', 'Kustomization'],
    ['helm.toolkit.fluxcd.io', 'HelmRelease'],
  ] as const) {
    const name = labels[`${prefix}/name`];
    if (name) {
      const ns = labels[`${prefix}/namespace`];
      return {
        tool: 'Flux',
        owner: `${kind} ${ns ? `${ns}/` : ''}${name}`,
        evidence: `label ${prefix}/name=${name}`,
      };
    }
  }
  const release = annotations['meta.helm.sh/release-name'];
  if (release || labels['app.kubernetes.io/managed-by'] === 'Helm') {
    const ns = annotations['meta.helm.sh/release-namespace'];
    return {
      tool: 'Helm',
      owner: `release ${ns ? `${ns}/` : ''}${release ?? labels['app.kubernetes.io/instance'] ?? '(unnamed)'}`,
      evidence: release
        ? `annotation meta.helm.sh/release-name=${release}`
        : 'label app.kubernetes.io/managed-by=Helm',
    };
  }
  return undefined;
}

/** The object that owns a GitOps-managed object's source: where its pull request goes. */
export interface GitOpsOwnerRef {
  kind: 'Application' | 'Kustomization' | 'HelmRelease';
  /** Argo CD's tracking names no namespace: the Application's is the installation's. */
  namespace?: string;
  name: string;
}

/** The Argo CD Application or Flux Kustomization/HelmRelease named by an object's tracking. */
export function gitOpsOwnerRefOf(meta: Meta): GitOpsOwnerRef | undefined {
  const labels = meta.labels ?? {};
  const argo =
    meta.annotations?.['argocd.argoproj.io/tracking-id']?.split(':')[0] ??
    labels['argocd.argoproj.io/instance'];
  if (argo) return { kind: 'Application', name: argo };
  for (const [prefix, kind] of [
    ['kustomize.toolkit.fluxcd.io', 'Kustomization'],
    ['helm.toolkit.fluxcd.io', 'HelmRelease'],
  ] as const) {
    const name = labels[`${prefix}/name`];
    const namespace = labels[`${prefix}/namespace`];
    if (name) return { kind, name, ...(namespace ? { namespace } : {}) };
  }
  return undefined;
}

/** True for the tools whose controller reverts a live patch on its own. */
export const revertsLivePatches = (tool: GitOpsTool): boolean => tool !== 'Helm';

/** The lane a fix to this object takes, and why. Pull requests are not built yet: always a live patch. */
export function laneOf(meta: Meta): DeliveryLane {
  const managedBy = gitOpsManagerOf(meta);
  if (!managedBy)
    return { lane: 'live-patch', reason: 'No GitOps controller or Helm release manages the target.' };
  const reason = revertsLivePatches(managedBy.tool)
    ? `${managedBy.tool} manages it (${managedBy.owner}, ${managedBy.evidence}): its controller puts back what Git says at the next sync, so the lasting fix is a change in Git. A live patch is refused unless an approver chooses it explicitly, to stop the bleeding until then.`
    : `Helm installed it (${managedBy.owner}, ${managedBy.evidence}): a live patch lasts until the next upgrade of the release, which puts back the chart's values; change them too.`;
  return { lane: 'live-patch', reason, managedBy };
}
