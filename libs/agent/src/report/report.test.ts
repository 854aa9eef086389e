import { type Finding, type Proposal } from '@foxhound/contracts';
import { TurnState } from '../tools/context';
import { assembleReport } from './assemble';
import { renderReport } from './markdown';

const root: Finding = {
  id: 'quota:QuotaExceeded:orders/orders-compute',
  analyzer: 'resourcequota',
  reason: 'QuotaExceeded',
  severity: 'high',
  object: { kind: 'ResourceQuota', namespace: 'orders', name: 'orders-compute' },
  symptom: 'ResourceQuota orders-compute refuses pods',
  cause: 'the quota is exhausted',
  evidence: [{ source: 'event', excerpt: 'exceeded quota: orders-compute' }],
  confidence: 0.9,
};
const symptom: Finding = {
  ...root,
  id: 'rs:FailedCreate',
  reason: 'FailedCreate',
  object: { kind: 'ReplicaSet', namespace: 'orders', name: 'op-1' },
  symptom: 'cannot create pods',
  causedBy: root.id,
};
const proposal: Proposal = {
  id: 'p1',
  action: { type: 'DeleteResourceQuota', namespace: 'orders', name: 'orders-compute' },
  summary: 'Delete the quota.',
  evidence: [],
  expectedEffect: 'Pods get created.',
  risk: 'high',
  rollback: { description: 'Re-create it.' },
};

function state(): TurnState {
  const s = new TurnState(['orders']);
  s.findings.set(root.id, root);
  s.findings.set(symptom.id, symptom);
  s.proposals.push(proposal);
  s.blindSpot('list secrets in orders (forbidden)');
  return s;
}

describe('the report', () => {
  it('joins the commander draft with the findings, proposals and blind spots of the turn', () => {
    const s = state();
    s.report = {
      summary: 'The quota blocks order-processor.',
      rootCause: 'ResourceQuota orders-compute is exhausted.',
      healthy: false,
      affected: root.object,
      evidence: root.evidence,
      timeline: [],
      impact: 'Orders queue up.',
      blastRadius: [],
      confidence: 0.9,
      notChecked: ['metrics'],
    };
    const report = assembleReport(s, 'ignored');
    expect(report).toMatchObject({
      rootCause: 'ResourceQuota orders-compute is exhausted.',
      proposals: [proposal],
      notChecked: ['metrics', 'list secrets in orders (forbidden)'],
    });
    expect(report.findings).toEqual([root, symptom]);
  });

  it('keeps the final words, and says the structure is missing, when no report was submitted', () => {
    const report = assembleReport(state(), 'The quota is full.\n\nMore detail.');
    expect(report).toMatchObject({
      summary: 'The quota is full.',
      rootCause: 'the quota is exhausted',
      affected: root.object,
      confidence: 0.5,
    });
    expect(report.notChecked).toContain('A structured report: the model ended without submitting one.');
  });

  it('renders root cause, symptoms, actions needing approval, confidence and blind spots in that order', () => {
    const text = renderReport(assembleReport(state(), 'The quota is full.'));
    const order = [
      '## Root cause',
      '### Evidence',
      '### Symptoms of the same cause',
      '### Proposed actions (need approval)',
      '**Confidence:** medium (50%)',
      '### Not checked',
    ].map((h) => text.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('- ReplicaSet orders/op-1: cannot create pods');
    expect(text).toContain(
      '- **DeleteResourceQuota** orders/orders-compute: Delete the quota. Risk high. Rollback: Re-create it.',
    );
  });
});
