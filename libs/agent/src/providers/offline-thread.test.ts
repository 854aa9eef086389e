import { historyExchange, proposalStateLine } from '@foxhound/contracts';
import { readThread } from './offline-thread';

const answer = [
  '## Root cause',
  '',
  'ResourceQuota orders-compute is exhausted (QuotaExceeded on ResourceQuota orders/orders-compute).',
  '',
  '**Affected:** ResourceQuota orders/orders-compute',
  '',
  '### Symptoms of the same cause',
  '',
  '- Deployment orders/order-processor: has 6 of 8 replicas ready',
  '',
  '### Proposed actions (need approval)',
  '',
  '- **DeleteResourceQuota** orders/orders-compute: Delete the quota. Risk high. Rollback: Re-create it.',
].join('\n');

describe('readThread', () => {
  it('reads the root cause, the affected object, the proposals and the objects an earlier answer named', () => {
    const t = readThread(historyExchange('order-processor is short of pods', answer));
    expect(t).toMatchObject({
      turns: 1,
      rootCause:
        'ResourceQuota orders-compute is exhausted (QuotaExceeded on ResourceQuota orders/orders-compute).',
      healthy: false,
      affected: { kind: 'ResourceQuota', namespace: 'orders', name: 'orders-compute' },
      proposals: [{ type: 'DeleteResourceQuota', namespace: 'orders', name: 'orders-compute' }],
      namespaces: ['orders'],
      questions: ['order-processor is short of pods'],
    });
    expect(t.objects).toContainEqual({ kind: 'Deployment', namespace: 'orders', name: 'order-processor' });
  });

  it('takes the state the gateway recorded for a proposal', () => {
    const withState = `${answer}\n\n### What became of the proposals\n\n${proposalStateLine(
      { type: 'DeleteResourceQuota', namespace: 'orders', name: 'orders-compute' },
      'Delete the quota.',
      'rejected',
    )}`;
    const t = readThread(historyExchange('q', withState));
    expect(t.proposals).toEqual([
      {
        type: 'DeleteResourceQuota',
        namespace: 'orders',
        name: 'orders-compute',
        summary: 'Delete the quota.',
        state: 'rejected',
      },
    ]);
  });

  it('is empty for a first turn, and ignores answers that are not reports', () => {
    expect(readThread([])).toMatchObject({ turns: 0, proposals: [], objects: [] });
    expect(readThread(historyExchange('hi', 'The investigation failed: timeout'))).toMatchObject({
      turns: 1,
      proposals: [],
    });
  });
});
