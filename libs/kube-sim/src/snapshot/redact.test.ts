import { type KubeObject } from '../types';
import { REDACTED, asPrinted, redactSecret } from './redact';

const secret = (annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', annotations },
  type: 'Opaque',
  data: { password: 'aHVudGVyMg==', user: 'YWRtaW4=' },
});

describe('redactSecret', () => {
  it('replaces every value and keeps the keys', () => {
    expect(redactSecret(secret())).toEqual({ ...secret(), data: { password: REDACTED, user: REDACTED } });
    expect(Buffer.from(REDACTED, 'base64').toString()).toBe('<redacted by kube-sim snapshot>');
  });

  it.each([
    [
      'redacts the values kubectl apply left in last-applied-configuration',
      '{"apiVersion":"v1","data":{"password":"aHVudGVyMg=="},"kind":"Secret"}\n',
      `{"apiVersion":"v1","data":{"password":"${REDACTED}"},"kind":"Secret"}\n`,
    ],
    ['replaces a last-applied-configuration that is not JSON', 'password: hunter2', REDACTED],
  ])('%s', (_what, applied, expected) => {
    const out = redactSecret(
      secret({ 'kubectl.kubernetes.io/last-applied-configuration': applied, team: 'a' }),
    );
    expect(out.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': expected,
      team: 'a',
    });
  });
});

describe('asPrinted', () => {
  it('adds apiVersion and kind to a list item and drops managedFields, as kubectl get -o yaml prints it', () => {
    const item = {
      metadata: { name: 'p', managedFields: [{ manager: 'kubectl' }] },
      spec: {},
      status: { phase: 'Running' },
    };
    expect(asPrinted(item, 'v1', 'Pod')).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {},
      status: { phase: 'Running' },
    });
  });
});
