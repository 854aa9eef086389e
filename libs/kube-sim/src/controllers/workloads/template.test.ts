import { podTemplateHash, templatesEqual } from './template';

const template = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image }] },
});

describe('podTemplateHash', () => {
  it('looks like the real pod-template-hash: stable, from its alphabet, changed by the template or a collision', () => {
    const hash = podTemplateHash(template('nginx:1.27'));
    expect(hash).toMatch(/^[bcdf4-9]{1,10}$/);
    expect(podTemplateHash(template('nginx:1.27'))).toBe(hash);
    expect(podTemplateHash(template('nginx:1.28'))).not.toBe(hash);
    expect(podTemplateHash(template('nginx:1.27'), 1)).not.toBe(hash);
  });

  it('ignores key order, the hash label and a null creationTimestamp', () => {
    const captured = {
      spec: { containers: [{ image: 'nginx:1.27', name: 'app' }] },
      metadata: { creationTimestamp: null, labels: { 'pod-template-hash': 'x', app: 'web' } },
    };
    expect(podTemplateHash(captured)).toBe(podTemplateHash(template('nginx:1.27')));
  });
});

describe('templatesEqual', () => {
  it.each([
    [
      'the same template with the hash label',
      { ...template('a:1'), metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } },
      true,
    ],
    [
      'the defaulted form of the same template',
      {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'a:1',
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              resources: {},
            },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
      true,
    ],
    ['another image', template('a:2'), false],
    ['another label', { ...template('a:1'), metadata: { labels: { app: 'api' } } }, false],
    [
      'a restart annotation',
      {
        ...template('a:1'),
        metadata: { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } },
      },
      false,
    ],
  ])('%s: %s', (_what, other, equal) => {
    expect(templatesEqual(template('a:1'), other)).toBe(equal);
  });
});
