import { createSnapshot, type KubeObject } from '@foxhound/diagnostics';
import { memoizeReader } from './memo';
import { type ClusterReader, ClusterReadError } from './reader';

function countingReader() {
  const calls: string[] = [];
  const reader: ClusterReader = {
    list: async (kind, options = {}) => {
      calls.push(`list ${kind} ${JSON.stringify(options)}`);
      return [{ metadata: { name: JSON.stringify(options) } }] as KubeObject[];
    },
    get: async (kind, name) => {
      calls.push(`get ${kind} ${name}`);
      if (name === 'secret') throw new ClusterReadError('get secret', 403, 'forbidden');
      return undefined;
    },
    podLogs: async () => 'log',
    podMetrics: async () => undefined,
    snapshot: async (namespaces, options) => {
      calls.push(`snapshot ${namespaces.join(',')}${options?.focus ? ` focus="${options.focus}"` : ''}`);
      return createSnapshot({
        namespaces,
        objects: {
          deployments: [
            {
              metadata: { name: 'web', namespace: 'shop' },
              spec: { selector: {}, template: { spec: { containers: [] } } },
            },
          ],
          events: [
            {
              metadata: { name: 'e1', namespace: 'shop' },
              involvedObject: { kind: 'Pod', name: 'web-1' },
              reason: 'BackOff',
              type: 'Warning',
            },
            {
              metadata: { name: 'e2', namespace: 'shop' },
              involvedObject: { kind: 'Pod', name: 'web-2' },
              reason: 'Pulled',
              type: 'Normal',
            },
          ],
        },
        gaps: [{ what: 'ResourceQuota in shop', reason: 'forbidden (RBAC)' }],
      });
    },
    discover: async () => ({ resources: [], gaps: [] }),
    dryRun: async () => {
      calls.push('dryRun');
      return undefined;
    },
  };
  return { reader, calls };
}

describe('memoizeReader', () => {
  it('answers a repeated read from the cache and keeps distinct queries apart', async () => {
    const { reader, calls } = countingReader();
    const memo = memoizeReader(reader);
    await memo.list('events', { namespace: 'shop' });
    await memo.list('events', { namespace: 'shop' });
    const narrowed = await memo.list('events', { namespace: 'shop', fieldSelector: 'reason=FailedCreate' });
    await memo.list('events', { namespace: 'shop', labelSelector: 'app=web' });
    expect(calls).toHaveLength(3);
    expect(narrowed[0]!.metadata.name).toContain('FailedCreate');
  });

  it('caches failures too, so a 403 costs one request per turn', async () => {
    const { reader, calls } = countingReader();
    const memo = memoizeReader(reader);
    await expect(memo.get('configMaps', 'secret', 'shop')).rejects.toThrow(ClusterReadError);
    await expect(memo.get('configMaps', 'secret', 'shop')).rejects.toThrow(ClusterReadError);
    expect(calls).toEqual(['get configMaps secret']);
  });

  it('never caches dry runs', async () => {
    const { reader, calls } = countingReader();
    const memo = memoizeReader(reader);
    const request = { method: 'DELETE' as const, kind: 'pods' as const, namespace: 'shop', name: 'web-1' };
    await memo.dryRun(request);
    await memo.dryRun(request);
    expect(calls).toEqual(['dryRun', 'dryRun']);
  });

  it('answers reads in a namespace the turn already snapshotted from the snapshot, except its gaps', async () => {
    const { reader, calls } = countingReader();
    const memo = memoizeReader(reader);
    await memo.snapshot(['shop']);
    expect((await memo.get('deployments', 'web', 'shop'))?.metadata.name).toBe('web');
    expect(
      (await memo.list('events', { namespace: 'shop', fieldSelector: 'type=Warning' })).map(
        (e) => e.metadata.name,
      ),
    ).toEqual(['e1']);
    await memo.list('resourceQuotas', { namespace: 'shop' });
    await memo.list('events', { namespace: 'payments' });
    expect(calls).toEqual([
      'snapshot shop',
      'list resourceQuotas {"namespace":"shop"}',
      'list events {"namespace":"payments"}',
    ]);
  });

  it("passes the turn's focus to every snapshot, so the logs of the workloads it names are read first", async () => {
    const { reader, calls } = countingReader();
    const memo = memoizeReader(reader, { focus: 'checkout returns 500s' });
    await memo.snapshot(['shop']);
    await memo.snapshot(['shop']);
    expect(calls).toEqual(['snapshot shop focus="checkout returns 500s"']);
  });
});
