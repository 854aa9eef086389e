import { StatusError } from '../api/status';
import { decodeKubernetesProtobuf } from './protobuf';

/** Length-delimited field `n` holding `bytes`. */
const field = (n: number, bytes: Buffer) => Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), bytes]);
const str = (n: number, s: string) => field(n, Buffer.from(s));
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    field(1, Buffer.concat([str(1, apiVersion), str(2, kind)])),
    field(2, raw),
  ]);

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.code;
  }
  return 0;
}

describe('decodeKubernetesProtobuf', () => {
  it('decodes a ConfigMap with metadata, labels and data', () => {
    const labels = field(11, Buffer.concat([str(1, 'app'), str(2, 'web')]));
    const raw = Buffer.concat([
      field(1, Buffer.concat([str(1, 'cm'), str(3, 'ns'), labels])),
      field(2, Buffer.concat([str(1, 'k'), str(2, 'v')])),
    ]);
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'ns', labels: { app: 'web' } },
      data: { k: 'v' },
    });
  });

  it.each([
    [
      '415 for a kind it has no table for',
      () => decodeKubernetesProtobuf(envelope('apps/v1', 'StatefulSet', Buffer.alloc(0))),
      415,
    ],
    ['400 without the k8s magic', () => decodeKubernetesProtobuf(Buffer.from('{}')), 400],
    [
      '400 for a truncated message',
      () =>
        decodeKubernetesProtobuf(
          Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x7f, 0x01])]),
        ),
      400,
    ],
  ])('%s', (_name, fn, code) => {
    expect(status(fn)).toBe(code);
  });
});
