import { type ClusterSnapshotData, ClusterSnapshotDataSchema } from '@foxhound/contracts';
import { fromSnapshotData } from './snapshot';

describe('fromSnapshotData', () => {
  it('drops objects without the fields analyzers rely on, and says so in gaps', () => {
    const data: ClusterSnapshotData = ClusterSnapshotDataSchema.parse({
      capturedAt: '2025-10-21T10:00:00Z',
      namespaces: ['shop'],
      objects: {
        pods: [
          { metadata: { name: 'ok', namespace: 'shop' }, spec: { containers: [{ name: 'a' }] } },
          { metadata: { name: 'odd', namespace: 'shop' }, spec: {} },
        ],
        events: [{ metadata: { name: 'e', namespace: 'shop' }, reason: 'x' }],
      },
    });
    const s = fromSnapshotData(data);
    expect(s.objects.pods.map((p) => p.metadata.name)).toEqual(['ok']);
    expect(s.objects.events).toEqual([]);
    expect(s.objects.nodes).toEqual([]);
    expect(s.gaps).toEqual([
      { what: '1 pods object(s)', reason: 'malformed (missing spec.containers); not analyzed' },
      { what: '1 events object(s)', reason: 'malformed (missing involvedObject); not analyzed' },
    ]);
  });
});
