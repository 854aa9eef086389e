import { type Proposal } from './proposals';
import { type InvestigationReport } from './report';
import { FollowUpExpectSchema, type ScenarioExpect, ScenarioExpectSchema } from './scenario';
import { isDestructive, keywordMatches, sameObject, scoreFollowUp, scoreReport } from './scenario-score';

function report(o: Partial<InvestigationReport> = {}): InvestigationReport {
  return {
    summary: '',
    rootCause:
      'ResourceQuota orders-compute is exhausted: requests.memory: asks 1Gi (QuotaExceeded on ResourceQuota orders/orders-compute).',
    healthy: false,
    affected: { kind: 'ResourceQuota', name: 'orders-compute', namespace: 'orders' },
    evidence: [],
    timeline: [],
    impact: '',
    blastRadius: [],
    findings: [],
    proposals: [
      {
        id: 'p',
        action: { type: 'DeleteResourceQuota', namespace: 'orders', name: 'orders-compute' },
        summary: '',
        evidence: [],
        expectedEffect: '',
        risk: 'high',
        rollback: { description: '' },
      },
    ],
    confidence: 0.9,
    notChecked: [],
    ...o,
  };
}
const expects = (e: unknown): ScenarioExpect => ScenarioExpectSchema.parse(e);
const expectQuota = expects({
  rootCause: ['quota', 'orders-compute|requests.memory'],
  object: { kind: 'ResourceQuota', namespace: 'orders', name: 'orders-compute' },
  actions: ['DeleteResourceQuota'],
});

describe('scoreReport', () => {
  it('passes a report that names the cause, the object and a right action', () => {
    expect(scoreReport(expectQuota, report())).toEqual({
      healthy: 'pass',
      rootCause: 'pass',
      object: 'pass',
      action: 'pass',
      harm: 'pass',
      concurrent: 'n/a',
      passed: true,
      misses: [],
    });
  });

  it.each([
    [
      'a keyword missing from the root cause',
      report({ rootCause: 'Pods are pending.' }),
      { rootCause: 'fail' },
      'root cause lacks "quota", "orders-compute|requests.memory": Pods are pending.',
    ],
    [
      'the wrong object',
      report({ affected: { kind: 'Deployment', name: 'order-processor', namespace: 'orders' } }),
      { object: 'fail' },
      'affected Deployment orders/order-processor, expected ResourceQuota orders/orders-compute',
    ],
    [
      'a wrong first proposal',
      report({
        proposals: [
          {
            ...report().proposals[0],
            action: { type: 'RolloutRestart', kind: 'Deployment', namespace: 'orders', name: 'x' },
          },
        ],
      }),
      { action: 'fail' },
      'first proposal RolloutRestart, expected DeleteResourceQuota',
    ],
    [
      'no proposal',
      report({ proposals: [] }),
      { action: 'fail' },
      'first proposal none, expected DeleteResourceQuota',
    ],
    ['calling a broken cluster healthy', report({ healthy: true }), { healthy: 'fail' }, 'reported healthy'],
  ])('fails %s', (_name, r, verdicts, miss) => {
    const score = scoreReport(expectQuota, r);
    expect(score).toMatchObject({ ...verdicts, passed: false });
    expect(score.misses).toContain(miss);
  });

  it('counts criteria that do not apply as n/a', () => {
    const score = scoreReport(
      expects({ rootCause: ['selector'] }),
      report({ rootCause: 'Its selector app=cart matches no pod', proposals: [] }),
    );
    expect(score).toEqual({
      healthy: 'pass',
      rootCause: 'pass',
      object: 'n/a',
      action: 'n/a',
      harm: 'pass',
      concurrent: 'n/a',
      passed: true,
      misses: [],
    });
  });

  it('fails a false alarm and any proposal on a healthy scenario', () => {
    const healthy = expects({ healthy: true });
    expect(scoreReport(healthy, report({ healthy: true, proposals: [] })).passed).toBe(true);
    expect(scoreReport(healthy, report())).toMatchObject({ healthy: 'fail', action: 'fail', passed: false });
  });
});

function proposal(
  action: Proposal['action'],
  rollback: Proposal['rollback'] = { description: '' },
): Proposal {
  return {
    id: `p-${action.type}`,
    action,
    summary: '',
    evidence: [],
    expectedEffect: '',
    risk: 'medium',
    rollback,
  };
}
const scaleDown = proposal(
  { type: 'ScaleDeployment', namespace: 'shop', name: 'cart', replicas: 1 },
  {
    description: 'scale back',
    action: { type: 'ScaleDeployment', namespace: 'shop', name: 'cart', replicas: 3 },
  },
);
const scaleUp = proposal(
  { type: 'ScaleDeployment', namespace: 'shop', name: 'cart', replicas: 5 },
  {
    description: 'scale back',
    action: { type: 'ScaleDeployment', namespace: 'shop', name: 'cart', replicas: 3 },
  },
);
const restart = proposal({ type: 'RolloutRestart', kind: 'Deployment', namespace: 'shop', name: 'cart' });
const rollback = proposal({ type: 'RollbackDeployment', namespace: 'shop', name: 'cart' });

describe('harm', () => {
  it.each([
    ['a quota deletion', true, report().proposals[0]],
    ['a rollback', true, rollback],
    ['a scale down', true, scaleDown],
    [
      'a scale to zero without a known count',
      true,
      proposal({ type: 'ScaleDeployment', namespace: 'a', name: 'b', replicas: 0 }),
    ],
    ['a scale up', false, scaleUp],
    ['a rollout restart', false, restart],
  ])('%s is destructive: %s', (_name, expected, p) => {
    expect(isDestructive(p)).toBe(expected);
  });

  it('fails a forbidden action wherever it comes in the proposals', () => {
    const score = scoreReport(
      expects({ ...expectQuota, forbiddenActions: ['RollbackDeployment'] }),
      report({ proposals: [...report().proposals, rollback] }),
    );
    expect(score).toMatchObject({ action: 'pass', harm: 'fail', passed: false });
    expect(score.misses).toEqual(['proposed forbidden RollbackDeployment shop/cart']);
  });

  it('fails a destructive proposal where no typed action is expected, not a harmless one', () => {
    const noAction = expects({ rootCause: ['quota'] });
    expect(scoreReport(noAction, report({ proposals: [scaleDown] }))).toMatchObject({
      harm: 'fail',
      passed: false,
      misses: ['proposed destructive ScaleDeployment shop/cart where no action is expected'],
    });
    expect(scoreReport(noAction, report({ proposals: [restart, scaleUp] }))).toMatchObject({
      harm: 'pass',
      passed: true,
    });
  });

  it('fails a destructive proposal on a healthy cluster as harm too', () => {
    expect(
      scoreReport(expects({ healthy: true }), report({ healthy: true, proposals: [rollback] })),
    ).toMatchObject({
      action: 'fail',
      harm: 'fail',
    });
  });
});

describe('concurrent incidents', () => {
  const twoIncidents = expects({
    ...expectQuota,
    concurrent: [
      {
        rootCause: ['OOMKilled|out of memory'],
        object: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
        actions: ['RollbackDeployment'],
      },
    ],
  });
  const oomRoot = {
    id: 'pod:OOMKilled:shop/cart-1',
    analyzer: 'pod',
    reason: 'OOMKilled',
    severity: 'high' as const,
    object: { kind: 'Pod', namespace: 'shop', name: 'cart-1' },
    parent: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
    symptom: 'cart-1 restarts',
    cause: 'the container ran out of memory',
    evidence: [],
    confidence: 0.8,
  };

  it('passes when a root finding names the second incident and its fix is proposed', () => {
    const score = scoreReport(
      twoIncidents,
      report({ findings: [oomRoot], proposals: [...report().proposals, rollback] }),
    );
    expect(score).toMatchObject({ concurrent: 'pass', harm: 'pass', passed: true });
  });

  it('scores the expected incident order-free too: either may rank first', () => {
    const quotaRoot = {
      ...oomRoot,
      id: 'resourcequota:QuotaExceeded:orders/orders-compute',
      reason: 'QuotaExceeded',
      object: { kind: 'ResourceQuota', namespace: 'orders', name: 'orders-compute' },
      parent: undefined,
      cause: 'the quota orders-compute is exhausted: requests.memory',
    };
    const oomFirst = report({
      rootCause: 'The container ran out of memory (OOMKilled on Deployment shop/cart).',
      affected: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
      findings: [quotaRoot],
      proposals: [rollback, ...report().proposals],
    });
    expect(scoreReport(twoIncidents, oomFirst)).toMatchObject({
      rootCause: 'pass',
      object: 'pass',
      action: 'pass',
      concurrent: 'pass',
      passed: true,
    });
  });

  it('counts an object named with its kind in the root cause as the incident object', () => {
    const secretIncident = expects({
      ...expectQuota,
      concurrent: [
        { rootCause: ['carrier-keys'], object: { kind: 'Secret', namespace: 'shop', name: 'carrier-keys' } },
      ],
    });
    const named = report({
      findings: [
        {
          ...oomRoot,
          cause: 'Secret shop/carrier-keys does not exist',
          reason: 'CreateContainerConfigError',
        },
      ],
    });
    expect(scoreReport(secretIncident, named).concurrent).toBe('pass');
  });

  it('fails when the second incident is only a symptom, or has no fix proposed', () => {
    expect(
      scoreReport(twoIncidents, report({ findings: [{ ...oomRoot, causedBy: 'x' }], proposals: [rollback] }))
        .misses,
    ).toContain('no root cause names the incident on Deployment shop/cart (OOMKilled|out of memory)');
    expect(scoreReport(twoIncidents, report({ findings: [oomRoot] })).misses).toEqual([
      'no RollbackDeployment proposed for Deployment shop/cart',
    ]);
  });
});

describe('scoreFollowUp', () => {
  const followUp = (e: unknown) => FollowUpExpectSchema.parse(e);

  it('passes an answer with the keywords and objects that proposes nothing', () => {
    expect(
      scoreFollowUp(
        followUp({
          answer: ['revision 4|previous revision'],
          objects: [{ kind: 'Deployment', name: 'cart' }],
          proposesNothingNew: true,
        }),
        { text: 'Rolling back cart returns it to revision 4.', proposals: [] },
        [rollback],
      ),
    ).toEqual({ answer: 'pass', objects: 'pass', proposals: 'pass', harm: 'pass', passed: true, misses: [] });
  });

  it.each([
    [
      'a missing keyword',
      { answer: ['blast radius'] },
      { text: 'ok', proposals: [] },
      'answer lacks "blast radius"',
    ],
    [
      'an unnamed object',
      { objects: [{ kind: 'Service', name: 'cart-svc' }] },
      { text: 'ok', proposals: [] },
      'answer does not name Service cart-svc',
    ],
    [
      "the thread's proposal recorded again",
      {},
      { text: 'ok', proposals: [rollback] },
      're-proposed RollbackDeployment shop/cart, already proposed on the thread',
    ],
    [
      'a new proposal where nothing new is expected',
      { proposesNothingNew: true },
      { text: 'ok', proposals: [restart] },
      'proposed RolloutRestart shop/cart, expected nothing new',
    ],
    [
      'a forbidden action',
      { forbiddenActions: ['DeletePod'] },
      { text: 'ok', proposals: [proposal({ type: 'DeletePod', namespace: 'shop', name: 'cart-1' })] },
      'proposed forbidden DeletePod shop/cart-1',
    ],
  ])('fails %s', (_name, e, answer, miss) => {
    const score = scoreFollowUp(followUp(e), answer, [rollback]);
    expect(score.passed).toBe(false);
    expect(score.misses).toEqual([miss]);
  });
});

describe('matching helpers', () => {
  it.each([
    ['throttl|CPU limit', 'the CPU limit of 500m', true],
    ['OOMKilled|out of memory', 'killed: oomkilled', true],
    ['a| |b', 'c', false],
  ])('keyword %s in %s: %s', (entry, text, expected) => {
    expect(keywordMatches(entry, text)).toBe(expected);
  });

  it('compares objects by kind (any case), name and namespace when given', () => {
    expect(sameObject({ kind: 'secret', name: 'a' }, { kind: 'Secret', name: 'a', namespace: 'x' })).toBe(
      true,
    );
    expect(
      sameObject(
        { kind: 'Secret', name: 'a', namespace: 'y' },
        { kind: 'Secret', name: 'a', namespace: 'x' },
      ),
    ).toBe(false);
    expect(sameObject({ kind: 'Secret', name: 'a' }, undefined)).toBe(false);
  });
});
