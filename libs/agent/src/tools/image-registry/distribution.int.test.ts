// The tag listing against a local fake registry over real HTTP: the Bearer challenge and token
// service, credentials for a private repository, paging, and each way a listing fails.
import { startFakeRegistry, type FakeRegistry } from '../../testing/fake-registry';
import { listTags, type DistributionOptions } from './distribution';

let registry: FakeRegistry;
afterEach(() => registry.close());

const optionsFor = (r: FakeRegistry, extra: Partial<DistributionOptions> = {}): DistributionOptions => ({
  allowedHosts: [r.host],
  plainHttpHosts: [r.host],
  ...extra,
});

describe('listing the tags a registry has', () => {
  it('answers the Bearer challenge with a pull token for the repository, then follows every page', async () => {
    const tags = Array.from({ length: 7 }, (_, i) => `1.${i}.0`);
    registry = await startFakeRegistry({ repositories: { 'shop/web': tags }, pageSize: 3 });
    const listing = await listTags(`${registry.host}/shop/web:9.9.9`, optionsFor(registry));
    expect(listing).toStrictEqual({
      ok: true,
      registry: registry.host,
      repository: 'shop/web',
      tags,
      truncated: false,
    });
    expect(registry.requests.map((r) => [r.path, r.authorization])).toStrictEqual([
      ['/v2/shop/web/tags/list?n=1000', undefined],
      ['/token?service=fake-registry&scope=repository%3Ashop%2Fweb%3Apull', undefined],
      ['/v2/shop/web/tags/list?n=1000', 'Bearer tok-1'],
      ['/v2/shop/web/tags/list?n=3&last=1.2.0', 'Bearer tok-1'],
      ['/v2/shop/web/tags/list?n=3&last=1.5.0', 'Bearer tok-1'],
    ]);
  });

  it('sends the credentials it has to the token service of a private repository', async () => {
    const credentials = { username: 'ci', password: 's3cret' };
    registry = await startFakeRegistry({
      repositories: { 'team/api': ['2.0'] },
      private: ['team/api'],
      credentials,
    });
    const image = `${registry.host}/team/api:2.1`;
    expect(await listTags(image, optionsFor(registry))).toStrictEqual({
      ok: false,
      reason: 'unauthorized',
      message: `the token service of ${registry.host} answered HTTP 401.`,
    });
    const listing = await listTags(image, optionsFor(registry, { credentials: () => credentials }));
    expect(listing).toMatchObject({ ok: true, tags: ['2.0'] });
  });

  it('stops at its page bound and says the listing is cut', async () => {
    registry = await startFakeRegistry({ repositories: { 'shop/web': ['a', 'b', 'c', 'd'] }, pageSize: 1 });
    const listing = await listTags(`${registry.host}/shop/web:x`, optionsFor(registry, { maxPages: 2 }));
    expect(listing).toStrictEqual({
      ok: true,
      registry: registry.host,
      repository: 'shop/web',
      tags: ['a', 'b'],
      truncated: true,
    });
  });

  it.each([
    [
      'a registry that is not allow-listed, before any request',
      (r: FakeRegistry) => ({ image: `${r.host}/shop/web:1`, options: { allowedHosts: ['ghcr.io'] } }),
      (r: FakeRegistry) => ({
        ok: false,
        reason: 'refused',
        message: `registry ${r.host} is not one Foxhound may ask (allowed: ghcr.io).`,
      }),
      0,
    ],
    [
      'a repository the registry does not know',
      (r: FakeRegistry) => ({ image: `${r.host}/shop/gone:1`, options: optionsFor(r) }),
      (r: FakeRegistry) => ({
        ok: false,
        reason: 'not-found',
        message: `${r.host} has no such repository (HTTP 404, NAME_UNKNOWN).`,
      }),
      3,
    ],
    [
      'an allow-listed loopback registry not named for plain HTTP: HTTPS only',
      (r: FakeRegistry) => ({ image: `${r.host}/shop/web:1`, options: { allowedHosts: [r.host] } }),
      () => expect.objectContaining({ ok: false, reason: 'unreachable' }),
      0,
    ],
  ])('refuses %s', async (_name, setup, expected, requestCount) => {
    registry = await startFakeRegistry({ repositories: { 'shop/web': ['1.0'] } });
    const { image, options } = setup(registry);
    expect(await listTags(image, options)).toStrictEqual(expected(registry));
    expect(registry.requests).toHaveLength(requestCount);
  });

  it('refuses a tag list larger than its size bound', async () => {
    registry = await startFakeRegistry({ repositories: { 'shop/web': ['1.0'] }, hugeBody: 3 * 1024 * 1024 });
    expect(await listTags(`${registry.host}/shop/web:1`, optionsFor(registry))).toStrictEqual({
      ok: false,
      reason: 'bad-response',
      message: `${registry.host} answered more than 2097152 bytes.`,
    });
  });
});
