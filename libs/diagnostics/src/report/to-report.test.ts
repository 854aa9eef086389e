import { type Finding } from '@foxhound/contracts';
import { type Diagnosis } from '../diagnose';
import { toReport } from './to-report';

const refused =
  'Error creating: pods "web-7d9-" is forbidden: exceeded quota: compute, requested: requests.memory=1Gi';

const finding = (id: string, kind: string, evidence: Finding['evidence'], causedBy?: string): Finding => ({
  id,
  analyzer: kind.toLowerCase(),
  reason: id,
  severity: 'high',
  object: { kind, namespace: 'shop', name: kind === 'ResourceQuota' ? 'compute' : 'web' },
  symptom: `${kind} is unhappy`,
  cause: 'the quota is exhausted',
  evidence,
  confidence: 0.9,
  ...(causedBy ? { causedBy } : {}),
});

describe('toReport', () => {
  it('quotes an event once when a symptom repeats its root cause’s evidence', () => {
    const root = finding('QuotaExceeded', 'ResourceQuota', [
      { source: 'event', excerpt: refused },
      { source: 'field', path: 'status.used', excerpt: 'requests.memory: 7.5Gi of 8Gi used' },
    ]);
    const symptom = finding('FailedCreate', 'ReplicaSet', [{ source: 'event', excerpt: refused }], root.id);
    const other = finding(
      'ReplicasUnavailable',
      'Deployment',
      [{ source: 'field', excerpt: '6 of 8 ready' }],
      root.id,
    );
    const diagnosis: Diagnosis = {
      status: 'problems',
      rootCauses: [root],
      findings: [root, symptom, other],
      groups: [{ root, symptoms: [symptom, other] }],
      checked: [],
      errors: [],
      capturedAt: '2026-11-22T07:00:00Z',
      namespaces: ['shop'],
      gaps: [],
      timeline: [],
      blastRadius: [],
      resourceVersions: {},
    };
    expect(toReport(diagnosis).evidence.map((e) => e.excerpt)).toStrictEqual([
      refused,
      'requests.memory: 7.5Gi of 8Gi used',
      '6 of 8 ready',
    ]);
  });
});
