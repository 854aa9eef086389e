import { catalogPullError, runsAsRoot } from './image-catalog';

describe('the simulated registry catalog', () => {
  it.each([
    ['nginx:1.27', true],
    ['nginx:1.27.3-alpine', true],
    ['nginx:stable-alpine', true],
    ['nginx', true],
    ['nginx:1', true],
    ['nginx:invalid-tag', false],
    ['nginx:1.99', false],
    ['nginx:1.27-alpine3.99-typo', false],
    ['busybox:1.36', true],
    ['busybox:1.36.1-musl', true],
    ['busybox:2.0', false],
    ['redis:7.2.5-alpine', true],
    ['redis:7', true],
    ['redis:7.2.99', false],
    ['postgres:16', true],
    ['postgres:16.4-alpine', true],
    ['postgres:9', false],
    ['node:22.11.0-alpine', true],
    ['node:22-slim', true],
    ['python:3.12-slim', true],
    ['python:3.12-slimm', false],
    ['alpine:3.20', true],
    ['registry.k8s.io/pause:3.10', true],
    ['registry.k8s.io/pause:4.0', false],
    // Not catalogued: private registries and the project's own test images pull.
    ['web:1', true],
    ['registry.example.com/shop/checkout:2.4.1', true],
    ['491208735114.dkr.ecr.eu-west-1.amazonaws.com/orders/order-api:7.2.0', true],
    ['trinodb/trino:476', true],
    // A typo of a catalogued name is a repository that does not exist.
    ['ngnix:1.27', false],
    ['busybx:1.36', false],
    ['postgress:16', false],
  ])('%s pulls: %s', (image, pulls) => {
    expect(catalogPullError(image) === undefined).toBe(pulls);
  });

  it('says NotFound for a missing tag with the normalized reference', () => {
    expect(catalogPullError('nginx:invalid-tag')).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:invalid-tag": failed to resolve reference "docker.io/library/nginx:invalid-tag": docker.io/library/nginx:invalid-tag: not found',
    );
  });

  it.each([
    ['nginx:1.27', true],
    ['nginxinc/nginx-unprivileged:1.27-alpine', false],
    ['gcr.io/distroless/static-debian12:nonroot', false],
    ['bitnami/redis:7.2', false],
    ['web:1', true],
  ])('%s runs as root: %s', (image, root) => {
    expect(runsAsRoot(image)).toBe(root);
  });
});
