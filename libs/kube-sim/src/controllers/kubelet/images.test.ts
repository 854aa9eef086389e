import { goDuration, imageID, invalidReference, normalizeImage } from './images';

describe('image references', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['ghcr.io/acme/api:v2', 'ghcr.io/acme/api:v2'],
    ['localhost/app', 'localhost/app:latest'],
    ['registry:5000/app', 'registry:5000/app:latest'],
    ['123.dkr.ecr.eu-west-1.amazonaws.com/a/b:1.0', '123.dkr.ecr.eu-west-1.amazonaws.com/a/b:1.0'],
  ])('%s normalizes to %s', (image, normalized) => {
    expect(normalizeImage(image)).toBe(normalized);
  });

  it('gives a stable digest per reference', () => {
    expect(imageID('nginx:1.27')).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(imageID('nginx:1.27')).toBe(imageID('docker.io/library/nginx:1.27'));
    expect(imageID('nginx:1.27')).not.toBe(imageID('nginx:1.28'));
  });

  it.each([
    ['nginx:1.27', undefined],
    ['ghcr.io/Acme/api:1', 'invalid reference format: repository name (path) must be lowercase'],
    ['api::1', 'invalid reference format'],
    ['', 'invalid reference format'],
  ])('%j: %s', (image, why) => {
    expect(invalidReference(image)).toBe(why);
  });

  it.each([
    [512, '512ms'],
    [2900, '2.9s'],
    [4118, '4.118s'],
    [3000, '3s'],
  ])('%d ms prints as Go prints it: %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
