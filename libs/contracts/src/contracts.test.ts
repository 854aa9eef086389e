import {
  ACTION_TYPES,
  actionTargetKind,
  ActionSchema,
  ScenarioManifestSchema,
  StreamEventSchema,
  ThreadIdSchema,
  isTerminalEvent,
  makeEvent,
} from './index';

describe('the closed set of actions', () => {
  it('names exactly the seventeen action types', () => {
    expect(ACTION_TYPES).toStrictEqual([
      'DeleteResourceQuota',
      'PatchDeploymentImage',
      'RollbackDeployment',
      'ScaleDeployment',
      'RolloutRestart',
      'DeletePod',
      'PatchContainerResources',
      'PatchContainerProbe',
      'PatchContainerCommand',
      'PatchContainerEnv',
      'PatchServiceSelector',
      'PatchServicePort',
      'PatchConfigMapKey',
      'PatchResourceQuota',
      'PatchPodScheduling',
      'PatchPodSecurityContext',
      'AddRoleRule',
    ]);
  });

  it.each([
    ['an action outside the set', { type: 'DeleteNamespace', namespace: 'shop', name: 'shop' }],
    [
      'an extra field smuggled into a known action',
      { type: 'DeletePod', namespace: 'shop', name: 'web-1', force: true },
    ],
    ['a namespace that is not a DNS label', { type: 'DeletePod', namespace: 'Kube_System', name: 'x' }],
    [
      'an image with a shell metacharacter',
      { type: 'PatchDeploymentImage', namespace: 'a', name: 'b', container: 'c', image: 'nginx;rm -rf /' },
    ],
    ['a negative replica count', { type: 'ScaleDeployment', namespace: 'a', name: 'b', replicas: -1 }],
    [
      'a resource patch that sets nothing',
      { type: 'PatchContainerResources', namespace: 'a', name: 'b', kind: 'Deployment', container: 'c' },
    ],
    [
      'a selector with a label key that is not one',
      { type: 'PatchServiceSelector', namespace: 'a', name: 'b', selector: { 'a b': 'c' } },
    ],
    [
      'a securityContext that runs as root',
      { type: 'PatchPodSecurityContext', namespace: 'a', name: 'b', kind: 'Deployment', runAsUser: 0 },
    ],
    [
      'a securityContext that turns runAsNonRoot off',
      { type: 'PatchPodSecurityContext', namespace: 'a', name: 'b', kind: 'Deployment', runAsNonRoot: false },
    ],
    [
      'a securityContext that makes a container privileged',
      { type: 'PatchPodSecurityContext', namespace: 'a', name: 'b', kind: 'Deployment', privileged: true },
    ],
    [
      'a restart of a kind that cannot roll out',
      { type: 'RolloutRestart', namespace: 'a', name: 'b', kind: 'Job' },
    ],
  ])('refuses %s', (_name, value) => {
    expect(ActionSchema.safeParse(value).success).toBe(false);
  });

  it.each([
    [{ type: 'DeleteResourceQuota', namespace: 'a', name: 'q' }, 'ResourceQuota'],
    [{ type: 'RestoreResourceQuota', namespace: 'a', name: 'q', hard: { pods: '1' } }, 'ResourceQuota'],
    [{ type: 'DeletePod', namespace: 'a', name: 'p' }, 'Pod'],
    [{ type: 'PatchServicePort', namespace: 'a', name: 's', port: 80, targetPort: 8080 }, 'Service'],
    [{ type: 'PatchConfigMapKey', namespace: 'a', name: 'c', key: 'k', value: 'v' }, 'ConfigMap'],
    [{ type: 'RolloutRestart', namespace: 'a', name: 'r', kind: 'StatefulSet' }, 'StatefulSet'],
    [{ type: 'ScaleDeployment', namespace: 'a', name: 'd', replicas: 2 }, 'Deployment'],
  ] as const)('%o changes a %s', (action, kind) => {
    expect(actionTargetKind(action)).toBe(kind);
  });

  it('accepts a well-formed action', () => {
    const action = {
      type: 'PatchDeploymentImage',
      namespace: 'storefront',
      name: 'catalog-api',
      container: 'api',
      image: 'ghcr.io/acme/catalog:1.8.2',
    };
    expect(ActionSchema.parse(action)).toStrictEqual(action);
  });
});

describe('thread ids', () => {
  it.each(['inc-42', 'thread-1a2b3c4d', 'a', 'PD.Q1W2E3_alert'])('accepts %s', (id) => {
    expect(ThreadIdSchema.safeParse(id).success).toBe(true);
  });

  it.each(['', '-leading-dash', 'a/b', 'a b', '../etc', 'x'.repeat(129), 'naïve', 'a\nb'])(
    'refuses %j',
    (id) => {
      expect(ThreadIdSchema.safeParse(id).success).toBe(false);
    },
  );
});

describe('stream events', () => {
  it('builds an envelope with the thread and an ISO timestamp, valid against the union', () => {
    const event = makeEvent(
      'thought',
      { text: 'checking events' },
      'inc-1',
      new Date('2026-11-22T07:00:00Z'),
    );
    expect(event).toStrictEqual({
      type: 'thought',
      data: { text: 'checking events' },
      thread_id: 'inc-1',
      timestamp: '2026-11-22T07:00:00.000Z',
    });
    expect(StreamEventSchema.parse(event)).toStrictEqual(event);
  });

  it('treats only result and error as terminal', () => {
    const types = [
      'session',
      'thought',
      'tool_start',
      'tool_end',
      'finding',
      'proposal',
      'action_update',
      'result',
      'error',
    ] as const;
    expect(types.filter((type) => isTerminalEvent({ type }))).toStrictEqual(['result', 'error']);
  });

  it('refuses an event whose data does not match its type', () => {
    expect(
      StreamEventSchema.safeParse({ type: 'result', data: { text: 'x' }, thread_id: 't', timestamp: 'now' })
        .success,
    ).toBe(false);
  });
});

describe('scenario manifests', () => {
  const base = { title: 't', capturedAt: '2026-11-22T07:00:00Z', namespaces: ['shop'], expect: {} };

  it('needs a prompt or an alert', () => {
    expect(ScenarioManifestSchema.safeParse(base).error?.issues[0]?.message).toBe(
      'a scenario needs a prompt or an alert',
    );
    expect(ScenarioManifestSchema.safeParse({ ...base, prompt: 'what is wrong?' }).success).toBe(true);
  });

  it('fills expectation defaults: not healthy, no keywords, no actions, nothing forbidden, one incident', () => {
    const parsed = ScenarioManifestSchema.parse({ ...base, prompt: 'p' });
    expect(parsed.expect).toStrictEqual({
      healthy: false,
      rootCause: [],
      actions: [],
      forbiddenActions: [],
      concurrent: [],
    });
    expect(parsed).toMatchObject({ followUps: [], sources: [] });
  });
});
