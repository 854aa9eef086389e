import { type KubeObject } from '@foxhound/diagnostics';
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
    snapshot: async () => {
      throw new Error('unused');
    },
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
});
