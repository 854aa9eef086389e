import { lookup } from '../lookup';
import { container, deployment, pod, snapshot, template } from '../__fixtures__/build';
import { classifyPullFailure, closestImages, editDistance, parseImage } from './images';

describe('parseImage', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    [
      'ghcr.io/acme/api:v2@sha256:abc',
      { registry: 'ghcr.io', repository: 'acme/api', tag: 'v2', digest: 'sha256:abc' },
    ],
    ['localhost:5000/team/app:dev', { registry: 'localhost:5000', repository: 'team/app', tag: 'dev' }],
    ['acme/api', { registry: 'docker.io', repository: 'acme/api' }],
  ])('%s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });

  it.each([['Nginx:UPPER'], ['has space:1'], ['']])('rejects %p', (image) => {
    expect(parseImage(image)).toBeUndefined();
  });
});

describe('classifyPullFailure', () => {
  it.each([
    [
      'rpc error: code = NotFound desc = failed to pull and unpack image "r/x:1": failed to resolve reference "r/x:1": r/x:1: not found',
      undefined,
      'not-found',
    ],
    ['manifest unknown: manifest tagged by "3.12.1" is not found', undefined, 'not-found'],
    [
      "pull access denied for acme/private, repository does not exist or may require 'docker login'",
      undefined,
      'not-found',
    ],
    [
      'failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized',
      undefined,
      'unauthorized',
    ],
    [
      'Failed to apply default image tag "Bad Image": couldn\'t parse image reference: invalid reference format',
      'InvalidImageName',
      'invalid-name',
    ],
    ['dial tcp: lookup registry.internal on 10.96.0.10:53: no such host', undefined, 'registry-unreachable'],
    ['toomanyrequests: You have reached your pull rate limit', undefined, 'rate-limited'],
    ['something else', undefined, 'unknown'],
  ])('%s', (message, reason, expected) => {
    expect(classifyPullFailure(message, reason)).toBe(expected);
  });
});

describe('closestImages', () => {
  it('offers the previous revision first, then the closest tag in use', () => {
    const l = lookup(
      snapshot({
        pods: [
          pod('admin-1', {
            containers: [container('admin', { image: 'r.io/shop/catalog:v3.12.1' })],
            statuses: undefined,
          }),
        ],
        deployments: [
          deployment('other', {
            template: template({ app: 'o' }, [container('o', { image: 'r.io/shop/catalog:v2.0.0' })]),
          }),
        ],
      }),
    );
    const previous = [
      {
        template: template({ app: 'c' }, [container('c', { image: 'r.io/shop/catalog:v3.11.4' })]),
        seenIn: 'ReplicaSet shop/catalog-1 (revision 58)',
      },
    ];
    expect(closestImages(l, 'r.io/shop/catalog:3.12.1', previous).map((c) => [c.image, c.previous])).toEqual([
      ['r.io/shop/catalog:v3.11.4', true],
      ['r.io/shop/catalog:v3.12.1', false],
      ['r.io/shop/catalog:v2.0.0', false],
    ]);
  });

  it('ignores other repositories and unparseable images', () => {
    const l = lookup(
      snapshot({ pods: [pod('x', { containers: [container('x', { image: 'r.io/other:1' })] })] }),
    );
    expect(closestImages(l, 'r.io/shop/catalog:1')).toEqual([]);
    expect(closestImages(l, 'not an image')).toEqual([]);
  });

  it('measures tag distance', () => {
    expect(editDistance('3.12.1', 'v3.12.1')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
  });
});
