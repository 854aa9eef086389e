import { type InvestigationReport, type ScenarioExpect } from '@foxhound/contracts';
import { keywordMatches, sameObject, scoreReport } from './score';

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
const expectQuota: ScenarioExpect = {
  healthy: false,
  rootCause: ['quota', 'orders-compute|requests.memory'],
  object: { kind: 'ResourceQuota', namespace: 'orders', name: 'orders-compute' },
  actions: ['DeleteResourceQuota'],
};

describe('scoreReport', () => {
  it('passes a report that names the cause, the object and a right action', () => {
    expect(scoreReport(expectQuota, report())).toEqual({
      healthy: 'pass',
      rootCause: 'pass',
      object: 'pass',
      action: 'pass',
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
      { healthy: false, rootCause: ['selector'], actions: [] },
      report({ rootCause: 'Its selector app=cart matches no pod' }),
    );
    expect(score).toEqual({
      healthy: 'pass',
      rootCause: 'pass',
      object: 'n/a',
      action: 'n/a',
      passed: true,
      misses: [],
    });
  });

  it('fails a false alarm and any proposal on a healthy scenario', () => {
    const healthy: ScenarioExpect = { healthy: true, rootCause: [], actions: [] };
    expect(scoreReport(healthy, report({ healthy: true, proposals: [] })).passed).toBe(true);
    expect(scoreReport(healthy, report())).toMatchObject({ healthy: 'fail', action: 'fail', passed: false });
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
