import { type Finding } from '@foxhound/contracts';
import { rank } from './rank';

function finding(id: string, o: Partial<Finding> & Pick<Finding, 'object'>): Finding {
  return {
    id,
    analyzer: 'test',
    reason: id,
    severity: 'high',
    symptom: id,
    cause: id,
    evidence: [],
    confidence: 0.8,
    ...o,
  };
}
const ns = 'shop';
const quota = finding('quota', {
  object: { kind: 'ResourceQuota', name: 'compute', namespace: ns },
  severity: 'critical',
});
const rsRefused = finding('rs', {
  object: { kind: 'ReplicaSet', name: 'worker-7d', namespace: ns },
  parent: { kind: 'Deployment', name: 'worker', namespace: ns },
  evidence: [
    { source: 'analysis', excerpt: 'quota', ref: { kind: 'ResourceQuota', name: 'compute', namespace: ns } },
  ],
});
const mismatch = finding('deploy', {
  object: { kind: 'Deployment', name: 'worker', namespace: ns },
  severity: 'medium',
});

describe('rank', () => {
  it('files a quota refusal chain under the quota', () => {
    const r = rank([mismatch, rsRefused, quota]);
    expect(r.rootCauses.map((f) => f.id)).toEqual(['quota']);
    expect(r.findings.map((f) => [f.id, f.causedBy])).toEqual([
      ['quota', undefined],
      ['deploy', 'rs'],
      ['rs', 'quota'],
    ]);
  });

  it("traces a cascade to the dependency's own failure", () => {
    const dbCrash = finding('db-crash', {
      object: { kind: 'Pod', name: 'db-0', namespace: ns },
      parent: { kind: 'StatefulSet', name: 'db', namespace: ns },
    });
    const callerRefused = finding('api-refused', {
      object: { kind: 'Pod', name: 'api-1', namespace: ns },
      parent: { kind: 'Deployment', name: 'api', namespace: ns },
      severity: 'critical',
      evidence: [
        { source: 'analysis', excerpt: 'db down', ref: { kind: 'StatefulSet', name: 'db', namespace: ns } },
      ],
    });
    const noEndpoints = finding('db-svc', {
      object: { kind: 'Service', name: 'db', namespace: ns },
      evidence: [
        { source: 'analysis', excerpt: 'pods', ref: { kind: 'StatefulSet', name: 'db', namespace: ns } },
      ],
    });
    const r = rank([callerRefused, noEndpoints, dbCrash]);
    expect(r.groups.map((g) => [g.root.id, g.symptoms.map((s) => s.id)])).toEqual([
      ['db-crash', ['api-refused', 'db-svc']],
    ]);
    expect(r.rootCauses[0].severity).toBe('critical');
  });

  it('breaks a cycle at the stronger cause', () => {
    const a = finding('a', {
      object: { kind: 'Pod', name: 'a-1', namespace: ns },
      parent: { kind: 'Deployment', name: 'a', namespace: ns },
      confidence: 0.9,
      evidence: [{ source: 'analysis', excerpt: '', ref: { kind: 'Deployment', name: 'b', namespace: ns } }],
    });
    const b = finding('b', {
      object: { kind: 'Pod', name: 'b-1', namespace: ns },
      parent: { kind: 'Deployment', name: 'b', namespace: ns },
      confidence: 0.5,
      evidence: [{ source: 'analysis', excerpt: '', ref: { kind: 'Deployment', name: 'a', namespace: ns } }],
    });
    const r = rank([a, b]);
    expect(r.rootCauses.map((f) => f.id)).toEqual(['a']);
    expect(r.findings.find((f) => f.id === 'b')?.causedBy).toBe('a');
  });

  it('never makes an info finding a root cause, and lets the prompt pick among equals', () => {
    const info = finding('unused', {
      object: { kind: 'ConfigMap', name: 'old', namespace: ns },
      severity: 'info',
    });
    const x = finding('x', {
      object: { kind: 'Pod', name: 'checkout-1', namespace: ns },
      parent: { kind: 'Deployment', name: 'checkout', namespace: ns },
    });
    const y = finding('y', {
      object: { kind: 'Pod', name: 'search-1', namespace: ns },
      parent: { kind: 'Deployment', name: 'search', namespace: ns },
    });
    expect(rank([info, x, y], { focus: 'search is slow' }).findings.map((f) => f.id)).toEqual([
      'y',
      'x',
      'unused',
    ]);
    expect(rank([info, x, y], { focus: 'checkout returns 500s' }).rootCauses.map((f) => f.id)).toEqual([
      'x',
      'y',
    ]);
  });

  it('ranks what the question names and what it depends on before a more severe unrelated cause', () => {
    const rollout = finding('rollout', {
      object: { kind: 'Deployment', name: 'catalog-api', namespace: 'catalog' },
      severity: 'medium',
      confidence: 0.6,
    });
    const db = finding('db', {
      object: { kind: 'Pod', name: 'db-0', namespace: 'catalog' },
      parent: { kind: 'StatefulSet', name: 'db', namespace: 'catalog' },
      severity: 'high',
    });
    const named = [{ kind: 'Deployment', name: 'catalog-api', namespace: 'catalog' }];
    const related = [{ kind: 'StatefulSet', name: 'db', namespace: 'catalog' }];
    // Among them the stronger explanation leads: the failing dependency before the named rollout.
    expect(rank([quota, db, rollout], { named, related }).rootCauses.map((f) => f.id)).toEqual([
      'db',
      'rollout',
      'quota',
    ]);
    expect(rank([quota, db, rollout], { named }).rootCauses.map((f) => f.id)).toEqual([
      'rollout',
      'quota',
      'db',
    ]);
    expect(rank([quota, db, rollout]).rootCauses.map((f) => f.id)).toEqual(['quota', 'db', 'rollout']);
  });

  it('leaves its input untouched', () => {
    const input = [mismatch, rsRefused, quota];
    rank(input);
    expect(input.every((f) => f.causedBy === undefined)).toBe(true);
    expect(mismatch.severity).toBe('medium');
  });
});
