import { type PodDisruptionBudget } from '../snapshot';
import { NS, pod, snapshot } from '../__fixtures__/build';
import { pdbAnalyzer } from './pdb';

function pdb(selector: Record<string, string>, status: PodDisruptionBudget['status']): PodDisruptionBudget {
  return {
    metadata: { name: 'web', namespace: NS },
    spec: { minAvailable: 2, selector: { matchLabels: selector } },
    status,
  };
}

describe('pdb analyzer', () => {
  it('reports a budget that blocks drains because pods are unhealthy', () => {
    const [f] = pdbAnalyzer.analyze(
      snapshot({
        pods: [pod('web-1')],
        podDisruptionBudgets: [
          pdb(
            { app: 'web' },
            { currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2 },
          ),
        ],
      }),
    );
    expect(f).toMatchObject({
      reason: 'DisruptionsBlocked',
      cause: 'only 1 of the 2 pods it requires are healthy',
    });
  });

  it('reports a budget that selects no pod, at info severity', () => {
    expect(
      pdbAnalyzer
        .analyze(
          snapshot({
            pods: [pod('web-1')],
            podDisruptionBudgets: [pdb({ app: 'nope' }, { disruptionsAllowed: 0 })],
          }),
        )
        .map((f) => [f.reason, f.severity]),
    ).toEqual([['SelectsNothing', 'info']]);
  });

  it('stays quiet when disruptions are allowed', () => {
    expect(
      pdbAnalyzer.analyze(
        snapshot({
          pods: [pod('web-1')],
          podDisruptionBudgets: [
            pdb({ app: 'web' }, { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 }),
          ],
        }),
      ),
    ).toStrictEqual([]);
  });
});
