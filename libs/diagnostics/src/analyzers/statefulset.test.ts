import { type StatefulSet } from '../snapshot';
import { NS, service, snapshot, template } from '../__fixtures__/build';
import { daemonSetAnalyzer } from './daemonset';
import { statefulSetAnalyzer } from './statefulset';

function sts(o: { serviceName?: string; storageClass?: string; ready?: number } = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: NS },
    spec: {
      replicas: 1,
      serviceName: o.serviceName ?? 'db',
      selector: { matchLabels: { app: 'db' } },
      template: template({ app: 'db' }),
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { storageClassName: o.storageClass ?? 'gp3' } },
      ],
    },
    status: { replicas: 1, readyReplicas: o.ready ?? 1 },
  };
}

describe('statefulset analyzer', () => {
  it('reports a missing governing Service, a missing StorageClass and unready replicas', () => {
    const s = snapshot({
      statefulSets: [sts({ serviceName: 'db-headless', storageClass: 'fast', ready: 0 })],
      services: [service('other')],
      storageClasses: [{ metadata: { name: 'gp3' } }],
    });
    expect(statefulSetAnalyzer.analyze(s).map((f) => f.reason)).toEqual([
      'ServiceNotFound',
      'StorageClassNotFound',
      'ReplicaMismatch',
    ]);
  });

  it('stays quiet for a healthy StatefulSet', () => {
    expect(
      statefulSetAnalyzer.analyze(
        snapshot({
          statefulSets: [sts()],
          services: [service('db')],
          storageClasses: [{ metadata: { name: 'gp3' } }],
        }),
      ),
    ).toStrictEqual([]);
  });
});

describe('daemonset analyzer', () => {
  it('reports nodes where the daemon is not ready', () => {
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: NS },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }) },
      status: { desiredNumberScheduled: 3, numberReady: 2 },
    };
    expect(daemonSetAnalyzer.analyze(snapshot({ daemonSets: [ds] })).map((f) => f.symptom)).toEqual([
      'DaemonSet shop/agent is ready on 2 of 3 nodes',
    ]);
    expect(
      daemonSetAnalyzer.analyze(
        snapshot({ daemonSets: [{ ...ds, status: { desiredNumberScheduled: 3, numberReady: 3 } }] }),
      ),
    ).toStrictEqual([]);
  });
});
