import { node, pod, snapshot } from '../__fixtures__/build';
import { nodeAnalyzer } from './node';

describe('node analyzer', () => {
  it('reports a NotReady node, critical when pods in scope run on it', () => {
    const down = node('node-a', {
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
        },
      ],
    });
    const [f] = nodeAnalyzer.analyze(
      snapshot({ nodes: [down], pods: [pod('web-1', { nodeName: 'node-a' })] }),
    );
    expect(f).toMatchObject({
      reason: 'NodeNotReady',
      severity: 'critical',
      cause: 'Kubelet stopped posting node status.',
      symptom: 'Node node-a is not reporting (Ready=Unknown); 1 pod(s) in scope run on it',
    });
  });

  it('reports pressure conditions and cordons', () => {
    const pressured = node('node-b', {
      unschedulable: true,
      conditions: [
        { type: 'Ready', status: 'True' },
        {
          type: 'DiskPressure',
          status: 'True',
          reason: 'KubeletHasDiskPressure',
          message: 'kubelet has disk pressure',
        },
      ],
    });
    expect(nodeAnalyzer.analyze(snapshot({ nodes: [pressured] })).map((f) => [f.reason, f.severity])).toEqual(
      [
        ['DiskPressure', 'medium'],
        ['Cordoned', 'info'],
      ],
    );
  });

  it('stays quiet for a healthy node', () => {
    expect(nodeAnalyzer.analyze(snapshot({ nodes: [node('ok')] }))).toStrictEqual([]);
  });
});
