import { gitOpsManagerOf, gitOpsOwnerRefOf, laneOf } from './gitops';

describe('which tool manages an object', () => {
  it.each([
    [
      'Argo CD by annotation tracking',
      { annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/web' } },
      {
        tool: 'Argo CD',
        owner: 'Application shop',
        evidence: 'annotation argocd.argoproj.io/tracking-id=shop:apps/Deployment:shop/web',
      },
    ],
    [
      'Argo CD by its instance label',
      { labels: { 'argocd.argoproj.io/instance': 'shop' } },
      { tool: 'Argo CD', owner: 'Application shop', evidence: 'label argocd.argoproj.io/instance=shop' },
    ],
    [
      'a Flux Kustomization',
      {
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      },
      {
        tool: 'Flux',
        owner: 'Kustomization flux-system/apps',
        evidence: 'label kustomize.toolkit.fluxcd.io/name=apps',
      },
    ],
    [
      'a Flux HelmRelease',
      { labels: { 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'shop' } },
      { tool: 'Flux', owner: 'HelmRelease shop/web', evidence: 'label helm.toolkit.fluxcd.io/name=web' },
    ],
    [
      'a Helm release',
      {
        labels: { 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'shop' },
      },
      { tool: 'Helm', owner: 'release shop/web', evidence: 'annotation meta.helm.sh/release-name=web' },
    ],
  ])('%s', (_name, meta, managedBy) => {
    expect(gitOpsManagerOf(meta)).toEqual(managedBy);
  });

  it('leaves an object kubectl applied unmanaged, and says which lane each takes', () => {
    expect(gitOpsManagerOf({ labels: { app: 'web' } })).toBeUndefined();
    expect(laneOf({ labels: { app: 'web' } })).toEqual({
      lane: 'live-patch',
      reason: 'No GitOps controller or Helm release manages the target.',
    });
    expect(laneOf({ labels: { 'argocd.argoproj.io/instance': 'shop' } }).reason).toMatch(
      /^Argo CD manages it .*A live patch is refused unless an approver chooses it explicitly/,
    );
  });
});

describe('the object that owns the source', () => {
  it.each([
    [
      'an Argo CD Application by tracking annotation',
      { annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/web' } },
      { kind: 'Application', name: 'shop' },
    ],
    [
      'a Flux Kustomization with its namespace',
      {
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      },
      { kind: 'Kustomization', name: 'apps', namespace: 'flux-system' },
    ],
    ['a Helm release: no GitOps owner', { labels: { 'app.kubernetes.io/managed-by': 'Helm' } }, undefined],
  ])('%s', (_name, meta, ref) => {
    expect(gitOpsOwnerRefOf(meta)).toStrictEqual(ref);
  });
});
