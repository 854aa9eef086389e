import { type Action } from '@foxhound/contracts';
import { type KubeObject, type ReplicaSet } from '@foxhound/diagnostics';
import { targetDigest } from '@foxhound/kube';
import { dryRunRequest } from './dry-run';
import { planFor, scaleCeiling } from './rollback';

const spec = {
  replicas: 3,
  selector: {},
  template: { spec: { containers: [{ name: 'web', image: 'shop/web:1.2' }] } },
};
const deployment = { metadata: { name: 'web', namespace: 'shop' }, spec } as KubeObject;
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
          description: 'Put Deployment shop/web back as it is now (container web on shop/web:1.2).',
          action: { type: 'RestoreObject', ...ns, kind: 'Deployment', preImage: { body: spec } },
        },
      },
    ],
    [
      'a rollback without a revision targets the previous one',
      { type: 'RollbackDeployment', ...ns },
      {
        action: { type: 'RollbackDeployment', ...ns, toRevision: 4 },
        rollback: {
          description: 'Put Deployment shop/web back as it is now (revision 5, ReplicaSet web-5).',
          action: { type: 'RestoreObject', ...ns, kind: 'Deployment', preImage: { body: spec } },
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
          action: { type: 'RestoreObject', ...ns, kind: 'Deployment', preImage: { body: spec } },
        },
      },
    ],
    ['scaling to zero is high risk', { type: 'ScaleDeployment', ...ns, replicas: 0 }, { risk: 'high' }],
    [
      'a restart is undone by its pre-image',
      { type: 'RolloutRestart', ...ns, kind: 'Deployment' },
      {
        risk: 'low',
        rollback: {
          description:
            'Put Deployment shop/web back as it is now: the restart annotation goes, which rolls the pods once more.',
          action: { type: 'RestoreObject', ...ns, kind: 'Deployment', preImage: { body: spec } },
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

  it('re-creates a deleted quota from its whole pre-image, scopeSelector, labels and annotations included', () => {
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {
        name: 'q',
        namespace: 'shop',
        resourceVersion: '9',
        uid: 'u',
        labels: { tier: 'batch' },
        annotations: { owner: 'ops' },
      },
      spec: {
        hard: { pods: '10' },
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['low'] }],
        },
      },
      status: { used: { pods: '10' } },
    } as KubeObject & { spec: object };
    expect(
      planFor({ type: 'DeleteResourceQuota', namespace: 'shop', name: 'q' }, { object: quota }).rollback
        .action,
    ).toEqual({
      type: 'RestoreObject',
      namespace: 'shop',
      name: 'q',
      kind: 'ResourceQuota',
      preImage: {
        uid: 'u',
        resourceVersion: '9',
        labels: { tier: 'batch' },
        annotations: { owner: 'ops' },
        body: quota.spec,
      },
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

describe('planFor typed edits', () => {
  const pod = (name: string, app: string, rs: string) =>
    ({
      metadata: {
        name,
        namespace: 'shop',
        labels: { app, 'pod-template-hash': 'h1' },
        ownerReferences: [{ kind: 'ReplicaSet', name: `${rs}-h1`, controller: true }],
      },
    }) as unknown as KubeObject;
  const service = {
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', uid: 'svc-1' },
    spec: { selector: { app: 'wbe' }, ports: [{ port: 80, targetPort: 8080 }] },
  } as unknown as KubeObject;

  it('fixes a selector to the one workload it matches, with its pre-image as the inverse', () => {
    const plan = planFor(
      { type: 'PatchServiceSelector', namespace: 'shop', name: 'web', selector: { app: 'web' } },
      { object: service, pods: [pod('web-1', 'web', 'web'), pod('api-1', 'api', 'api')] },
    );
    expect(plan).toMatchObject({
      risk: 'medium',
      note: 'The selector matches the pods of Deployment web only.',
      rollback: {
        action: {
          type: 'RestoreObject',
          kind: 'Service',
          preImage: { uid: 'svc-1', body: { selector: { app: 'wbe' } } },
        },
      },
    });
    expect(dryRunRequest(plan.action, { object: service })).toEqual({
      method: 'PATCH',
      kind: 'services',
      namespace: 'shop',
      name: 'web',
      patch: {
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], $patch: 'replace' },
      },
    });
  });

  it('refuses a selector that matches no pods', () => {
    expect(
      planFor(
        { type: 'PatchServiceSelector', namespace: 'shop', name: 'web', selector: { app: 'nope' } },
        { object: service, pods: [pod('web-1', 'web', 'web')] },
      ).refusal,
    ).toBe('selector app=nope matches no pods.');
  });

  it('states the bounds of a resources patch and refuses one over the LimitRange', () => {
    const web = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '256Mi' } } }] } },
      },
    } as unknown as KubeObject;
    const limitRanges = [
      { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', max: { memory: '1Gi' } }] } },
    ] as unknown as KubeObject[];
    const patch = (memory: string): Action => ({
      type: 'PatchContainerResources',
      namespace: 'shop',
      name: 'web',
      kind: 'Deployment',
      container: 'app',
      limits: { memory },
    });
    expect(planFor(patch('512Mi'), { object: web, limitRanges }).note).toBe(
      'Bounds: at most 8 cpu per container (configured maximum); at most 32Gi memory per container (configured maximum); LimitRange lr: Container max memory 1Gi.',
    );
    expect(planFor(patch('2Gi'), { object: web, limitRanges }).refusal).toBe(
      "the change would break its bounds: limits.memory 2Gi is above LimitRange lr's max 1Gi.",
    );
  });
});
