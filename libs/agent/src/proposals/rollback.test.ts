import { type Action } from '@foxhound/contracts';
import { type KubeObject, type ReplicaSet } from '@foxhound/diagnostics';
import { targetDigest } from '@foxhound/kube';
import { planFor, scaleCeiling } from './rollback';

const deployment = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 3,
    selector: {},
    template: { spec: { containers: [{ name: 'web', image: 'shop/web:1.2' }] } },
  },
} as KubeObject;
const rs = (revision: number, image: string) =>
  ({
    metadata: {
      name: `web-${revision}`,
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    },
    spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
  }) as unknown as ReplicaSet;
const history = [rs(5, 'shop/web:1.2'), rs(4, 'shop/web:1.1')];
const ns = { namespace: 'shop', name: 'web' };

describe('planFor', () => {
  it.each<[string, Action, Partial<ReturnType<typeof planFor>>]>([
    [
      'an image patch rolls back to the current image',
      { type: 'PatchDeploymentImage', ...ns, container: 'web', image: 'shop/web:1.3' },
      {
        risk: 'medium',
        rollback: {
          description: 'Set container web back to shop/web:1.2.',
          action: { type: 'PatchDeploymentImage', ...ns, container: 'web', image: 'shop/web:1.2' },
        },
      },
    ],
    [
      'a rollback without a revision targets the previous one',
      { type: 'RollbackDeployment', ...ns },
      {
        action: { type: 'RollbackDeployment', ...ns, toRevision: 4 },
        rollback: {
          description: 'Roll forward to revision 5 (ReplicaSet web-5) again.',
          action: { type: 'RollbackDeployment', ...ns, toRevision: 5 },
        },
      },
    ],
    [
      'a scale-down is medium risk and scales back',
      { type: 'ScaleDeployment', ...ns, replicas: 1 },
      {
        risk: 'medium',
        rollback: {
          description: 'Scale back to 3 replicas.',
          action: { type: 'ScaleDeployment', ...ns, replicas: 3 },
        },
      },
    ],
    ['scaling to zero is high risk', { type: 'ScaleDeployment', ...ns, replicas: 0 }, { risk: 'high' }],
    [
      'a restart has nothing to undo',
      { type: 'RolloutRestart', ...ns, kind: 'Deployment' },
      {
        risk: 'low',
        rollback: {
          description:
            'A restart changes no spec; there is nothing to undo (the pods are recreated from the same template).',
        },
      },
    ],
  ])('%s', (_name, action, expected) => {
    expect(planFor(action, { object: deployment, replicaSets: history })).toMatchObject(expected);
  });

  it.each<[string, Action, KubeObject, string]>([
    [
      'patching to the image already running',
      { type: 'PatchDeploymentImage', ...ns, container: 'web', image: 'shop/web:1.2' },
      deployment,
      'already runs shop/web:1.2',
    ],
    [
      'rolling back to the current revision',
      { type: 'RollbackDeployment', ...ns, toRevision: 5 },
      deployment,
      'revision 5 is already the current revision',
    ],
    [
      'scaling to the current count',
      { type: 'ScaleDeployment', ...ns, replicas: 3 },
      deployment,
      'already has 3 replicas',
    ],
    [
      'deleting a pod no controller recreates',
      { type: 'DeletePod', namespace: 'shop', name: 'debug' },
      { metadata: { name: 'debug', namespace: 'shop' } } as KubeObject,
      'has no controller',
    ],
  ])('refuses %s', (_name, action, object, reason) => {
    expect(planFor(action, { object, replicaSets: history }).refusal).toContain(reason);
  });

  it('keeps a deleted quota as a manifest that can re-create it', () => {
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'shop', resourceVersion: '9', uid: 'u' },
      spec: { hard: { pods: '10' } },
      status: { used: { pods: '10' } },
    } as KubeObject;
    expect(
      planFor({ type: 'DeleteResourceQuota', namespace: 'shop', name: 'q' }, { object: quota }).rollback
        .manifest,
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'shop' },
      spec: { hard: { pods: '10' } },
    });
  });

  it('clamps scale-ups to twice the current count plus five', () => {
    expect(scaleCeiling(3)).toBe(11);
    expect(planFor({ type: 'ScaleDeployment', ...ns, replicas: 100 }, { object: deployment }).action).toEqual(
      { type: 'ScaleDeployment', ...ns, replicas: 11 },
    );
  });

  it('digests only the fields an action touches', () => {
    const scaled = {
      ...deployment,
      spec: { ...(deployment as unknown as { spec: object }).spec, replicas: 4 },
    } as KubeObject;
    const scale: Action = { type: 'ScaleDeployment', ...ns, replicas: 5 };
    const patch: Action = { type: 'PatchDeploymentImage', ...ns, container: 'web', image: 'x:1' };
    expect(targetDigest(scale, scaled)).not.toBe(targetDigest(scale, deployment));
    expect(targetDigest(patch, scaled)).toBe(targetDigest(patch, deployment));
  });
});
