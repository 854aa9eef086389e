import { lookup } from '../lookup';
import {
  container,
  crashLooping,
  deployment,
  event,
  pod,
  replicaSet,
  running,
  snapshot,
  template,
} from '../__fixtures__/build';
import { changesOf, rolloutOf, suspectRollout, templateDiff } from './changes';

const labels = { app: 'api' };
const v1 = template(labels, [
  container('api', {
    image: 'r.io/api:1.0.0',
    env: [
      { name: 'DB_URL', value: 'postgres://db' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tokens', key: 'api' } } },
    ],
  }),
]);
const v2 = template(
  labels,
  [
    container('api', {
      image: 'r.io/api:1.1.0',
      env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tokens-v2', key: 'api' } } }],
      resources: { limits: { memory: '128Mi' } },
    }),
  ],
  { nodeSelector: { pool: 'big' } },
);

describe('templateDiff', () => {
  it('lists image, env, resources and scheduling changes, never secret values', () => {
    expect(templateDiff(v1, v2)).toEqual([
      'container api image r.io/api:1.1.0 (was tag 1.0.0)',
      'container api env TOKEN changed Secret tokens key api → Secret tokens-v2 key api',
      'container api env DB_URL removed',
      'container api limits.memory 256Mi → 128Mi',
      'container api requests.cpu 100m → unset',
      'container api requests.memory 128Mi → unset',
      'nodeSelector none → pool=big',
    ]);
  });

  it('lists security context settings and volume mounts, without the service account token mount', () => {
    const open = template(labels, [
      container('api', {
        volumeMounts: [
          { name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
        ],
      }),
    ]);
    const locked = template(
      labels,
      [
        container('api', {
          securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [
            { name: 'kube-api-access-x2', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        }),
      ],
      { securityContext: { runAsNonRoot: true } },
    );
    expect(templateDiff(open, locked)).toEqual([
      'container api securityContext readOnlyRootFilesystem unset → true',
      'container api securityContext capabilities.drop unset → ["ALL"]',
      'container api volumeMounts none → /tmp (tmp)',
      'pod securityContext runAsNonRoot unset → true',
    ]);
  });

  it('is empty for identical templates and for missing ones', () => {
    expect(templateDiff(v1, v1)).toEqual([]);
    expect(templateDiff(undefined, v1)).toEqual([]);
  });
});

function rollout(o: { previousReady: number; createdMinutesAgo: number; failingSince: number }) {
  const failing = pod('api-new-1', {
    labels: { ...labels, 'pod-template-hash': 'new' },
    owner: { kind: 'ReplicaSet', name: 'api-new' },
    statuses: [crashLooping('api')],
  });
  const s = snapshot({
    deployments: [deployment('api', { labels, template: v2, replicas: 2, ready: o.previousReady })],
    replicaSets: [
      replicaSet('api-old', {
        deployment: 'api',
        revision: 4,
        template: v1,
        replicas: 2,
        ready: o.previousReady,
        hash: 'old',
      }),
      replicaSet('api-new', {
        deployment: 'api',
        revision: 5,
        template: v2,
        replicas: 1,
        ready: 0,
        hash: 'new',
        createdMinutesAgo: o.createdMinutesAgo,
      }),
    ],
    pods: [
      failing,
      pod('api-old-1', {
        labels: { ...labels, 'pod-template-hash': 'old' },
        owner: { kind: 'ReplicaSet', name: 'api-old' },
        statuses: [running('api')],
      }),
    ],
    events: [
      event({ kind: 'Pod', name: 'api-new-1' }, 'BackOff', 'Back-off restarting failed container', {
        firstMinutesAgo: o.failingSince,
      }),
    ],
  });
  return { l: lookup(s), failing };
}

describe('suspectRollout', () => {
  it('suspects a rollout whose new pods fail while the old ones serve', () => {
    const { l, failing } = rollout({ previousReady: 2, createdMinutesAgo: 600, failingSince: 590 });
    const s = suspectRollout(l, { kind: 'Deployment', name: 'api', namespace: 'shop' }, [failing]);
    expect(s?.why).toBe('the pods of the new revision 5 fail while 2 pod(s) of revision 4 are still ready');
    expect(s?.rollout.previousRevision).toBe(4);
  });

  it('suspects a completed rollout when the trouble began soon after it', () => {
    const { l, failing } = rollout({ previousReady: 0, createdMinutesAgo: 30, failingSince: 25 });
    expect(suspectRollout(l, { kind: 'Deployment', name: 'api', namespace: 'shop' }, [failing])?.why).toBe(
      'the failures began 5 min after revision 5 was rolled out',
    );
  });

  it('does not suspect a rollout that ran fine for days before the trouble', () => {
    const { l, failing } = rollout({ previousReady: 0, createdMinutesAgo: 60 * 24 * 3, failingSince: 10 });
    expect(
      suspectRollout(l, { kind: 'Deployment', name: 'api', namespace: 'shop' }, [failing]),
    ).toBeUndefined();
  });

  it('names rollouts in the change list', () => {
    const { l } = rollout({ previousReady: 2, createdMinutesAgo: 30, failingSince: 25 });
    const d = l.get('deployments', 'shop', 'api')!;
    expect(rolloutOf(l, d)?.currentRevision).toBe(5);
    expect(
      changesOf(l, { kind: 'Deployment', name: 'api', namespace: 'shop' }, d.spec.template).map(
        (c) => c.what.split(':')[0],
      ),
    ).toEqual(['rollout to revision 4 (ReplicaSet api-old)', 'rollout to revision 5 (ReplicaSet api-new)']);
  });
});
