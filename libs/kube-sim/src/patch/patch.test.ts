import { BUILTIN_RESOURCES } from '../api/resources';
import { StatusError } from '../api/status';
import { applyJsonPatch, applyMergePatch, applyPatch, applyStrategicMergePatch } from './index';

const deployment = {
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80 }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        tolerations: [{ key: 'a' }],
      },
    },
  },
  metadata: { finalizers: ['x'], labels: { a: '1', b: '2' } },
};

describe('strategic merge patch', () => {
  it.each([
    [
      'merges containers by name and env by name',
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '3' }] }] },
          },
        },
      },
      (r: typeof deployment) => {
        expect(r.spec.template.spec.containers.map((c) => c.image)).toEqual(['app:2', 'proxy:1']);
        expect(r.spec.template.spec.containers[0].env).toEqual([
          { name: 'A', value: '1' },
          { name: 'B', value: '3' },
        ]);
      },
    ],
    [
      'deletes a list item with $patch: delete',
      { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } },
      (r: typeof deployment) => expect(r.spec.template.spec.containers.map((c) => c.name)).toEqual(['app']),
    ],
    [
      'replaces lists without a merge key',
      { spec: { template: { spec: { tolerations: [{ key: 'b' }] } } } },
      (r: typeof deployment) => expect(r.spec.template.spec.tolerations).toEqual([{ key: 'b' }]),
    ],
    [
      'merges finalizers as a set and deletes from primitive lists',
      { metadata: { finalizers: ['y'], '$deleteFromPrimitiveList/finalizers': ['x'] } },
      (r: typeof deployment) => expect(r.metadata.finalizers).toEqual(['y']),
    ],
    [
      'null removes a key',
      { metadata: { labels: { a: null } } },
      (r: typeof deployment) => expect(r.metadata.labels).toEqual({ b: '2' }),
    ],
    [
      'reorders with $setElementOrder and strips the directive',
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
              containers: [{ name: 'app', image: 'app:3' }],
            },
          },
        },
      },
      (r: typeof deployment) => {
        expect(r.spec.template.spec.containers.map((c) => c.name)).toEqual(['sidecar', 'app']);
        expect(Object.keys(r.spec.template.spec).some((k) => k.startsWith('$'))).toBe(false);
      },
    ],
    [
      'replaces a map with $patch: replace',
      { metadata: { labels: { $patch: 'replace', c: '3' } } },
      (r: typeof deployment) => expect(r.metadata.labels).toEqual({ c: '3' }),
    ],
  ])('%s', (_name, patch, check) => {
    check(applyStrategicMergePatch(deployment, patch) as typeof deployment);
  });

  it('merges service ports by port and container ports by containerPort', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const out = applyStrategicMergePatch(svc, {
      spec: { ports: [{ port: 80, targetPort: 9090 }] },
    }) as typeof svc;
    expect(out.spec.ports).toEqual([{ port: 80, targetPort: 9090 }, { port: 443 }]);
  });

  it('leaves the original untouched', () => {
    const before = JSON.stringify(deployment);
    applyStrategicMergePatch(deployment, { spec: { replicas: 5 } });
    expect(JSON.stringify(deployment)).toBe(before);
  });
});

describe('JSON merge patch', () => {
  it('merges objects, deletes nulls, replaces arrays', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 4 }, l: [3] })).toEqual({
      a: { c: 2, d: 4 },
      l: [3],
    });
  });
});

describe('JSON patch', () => {
  const doc = { metadata: { labels: { 'a/b': 'x' } }, list: [1, 2, 3] };

  it.each([
    ['add to an array end', [{ op: 'add', path: '/list/-', value: 4 }], { ...doc, list: [1, 2, 3, 4] }],
    [
      'remove an escaped key',
      [{ op: 'remove', path: '/metadata/labels/a~1b' }],
      { metadata: { labels: {} }, list: [1, 2, 3] },
    ],
    ['replace', [{ op: 'replace', path: '/list/0', value: 9 }], { ...doc, list: [9, 2, 3] }],
    ['move', [{ op: 'move', from: '/list/0', path: '/first' }], { ...doc, list: [2, 3], first: 1 }],
    ['copy', [{ op: 'copy', from: '/list', path: '/copy' }], { ...doc, copy: [1, 2, 3] }],
    ['test that passes', [{ op: 'test', path: '/list/1', value: 2 }], doc],
  ])('%s', (_name, patch, expected) => {
    expect(applyJsonPatch(doc, patch)).toEqual(expected);
  });

  it.each([
    ['a failing test', [{ op: 'test', path: '/list/1', value: 5 }], 422],
    ['removing a missing key', [{ op: 'remove', path: '/nope' }], 422],
    ['an index out of range', [{ op: 'replace', path: '/list/7', value: 1 }], 422],
    ['an unknown op', [{ op: 'frobnicate', path: '/list' }], 400],
    ['a body that is not a list', { op: 'add' }, 400],
  ])('refuses %s', (_name, patch, code) => {
    let caught: unknown;
    try {
      applyJsonPatch(doc, patch);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StatusError);
    expect((caught as StatusError).code).toBe(code);
  });
});

describe('applyPatch', () => {
  const sandbox = BUILTIN_RESOURCES.find((r) => r.kind === 'Sandbox')!;

  it('415 for a strategic merge patch on a custom resource', () => {
    expect(() => applyPatch(sandbox, 'strategic', {}, {})).toThrow(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });
});
