import { classifyQuestion } from './offline-question';

describe('classifyQuestion', () => {
  it.each([
    ['what would rolling back do to the other pods? is it safe?', 'safety', 'rollback'],
    ['is it safe to restart checkout?', 'safety', 'restart'],
    ['what happens if we delete the orders-compute quota', 'safety', 'delete-quota'],
    ['Should we scale payments to 6 replicas? any risk?', 'safety', 'scale'],
    ['is the fix safe?', 'safety', undefined],
    ['is it safe to roll search-frontend back, and what would that do?', 'safety', 'rollback'],
    ['what would deleting that job do?', 'safety', 'delete-job'],
    ['is it safe to scale index-shard back to 3?', 'safety', 'scale'],
    ['what changed in shop since yesterday?', 'changes', undefined],
    ['show me the logs of order-processor', 'logs', undefined],
    ['events for the web pods please', 'logs', undefined],
    ['is payments healthy?', 'health', undefined],
    ['why is the worker not scaling past 3 replicas', 'capacity', undefined],
    ['my pods are stuck pending', 'capacity', undefined],
    ['checkout is returning 500s', 'diagnose', undefined],
    ['orders queue is backing up, order-processor only has 6 of 8 pods', 'diagnose', undefined],
    ['is the search api up?', 'health', undefined],
    ['catalog-api 3.12.1 release is not rolling out', 'diagnose', undefined],
    ['¿Por qué falla el servicio de pagos?', 'diagnose', undefined],
    ['?!?!', 'diagnose', undefined],
  ])('%s → %s', (prompt, kind, action) => {
    const q = classifyQuestion(prompt, false);
    expect(q.kind).toBe(kind);
    expect(q.action).toBe(action);
  });

  it('reads the replica count a scale question names', () => {
    expect(classifyQuestion('is it safe to scale web to 12?', false)).toEqual({
      kind: 'safety',
      action: 'scale',
      replicas: 12,
    });
  });

  it('treats an alert as "what is wrong", whatever its words', () => {
    expect(classifyQuestion('is it safe to restart', true)).toEqual({ kind: 'diagnose' });
  });
});
