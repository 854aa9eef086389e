// registry_tags on kube-sim's imagepull-bad-tag incident (catalog-api:3.12.1 does not exist; the
// cluster runs v3.12.1), against a local fake registry standing in for the ECR host: requests to
// it are sent to the fake on loopback, the one substitution at the network edge.
import { type Harness, startHarness } from '../../__fixtures__/harness';
import { TurnEmitter } from '../../events/emitter';
import { startFakeRegistry, type FakeRegistry } from '../../testing/fake-registry';
import { type ToolContext } from '../context';
import { registryTags } from './registry-tags';

const ECR = '491208735114.dkr.ecr.eu-west-1.amazonaws.com';
const IMAGE = `${ECR}/storefront/catalog-api:3.12.1`;

let h: Harness;
let registry: FakeRegistry;
let ctx: ToolContext;
beforeAll(async () => {
  h = await startHarness(['imagepull-bad-tag']);
  ctx = {
    cluster: h.cluster,
    turn: h.turn,
    emitter: new TurnEmitter('t-registry', { emit: () => undefined }),
    signal: new AbortController().signal,
    now: () => new Date(),
  };
});
afterAll(() => h.close());
afterEach(() => registry.close());

/** fetch that resolves the ECR host (its API and its token realm) to the fake registry on loopback. */
const toFake =
  (r: FakeRegistry): typeof fetch =>
  (input, init) =>
    fetch(String(input).replace(`https://${ECR}`, `http://${r.host}`), init);

const run = (r: FakeRegistry, image = IMAGE) =>
  registryTags({ allowedHosts: [ECR], fetch: toFake(r) }).run(
    { namespace: 'storefront', image, name: 'catalog-api' },
    ctx,
  );

describe('registry_tags', () => {
  it('names the tag the registry lists as the same version spelled with a v', async () => {
    registry = await startFakeRegistry({
      repositories: { 'storefront/catalog-api': ['v3.11.4', 'v3.12.0', 'v3.12.1'] },
      realmOrigin: `https://${ECR}`,
    });
    const out = await run(registry);
    expect(out.status).toBe('success');
    expect(out.output).toBe(
      [
        `${ECR}/storefront/catalog-api: 3 tag(s).`,
        `Safe to use: ${ECR}/storefront/catalog-api:v3.12.1`,
        '  the registry lists 3 tag(s); it has no 3.12.1 but has v3.12.1, the same version spelled differently.',
      ].join('\n'),
    );
  });

  it('says there is no safe fix when the registry has only other versions the cluster never ran', async () => {
    registry = await startFakeRegistry({
      repositories: { 'storefront/catalog-api': ['3.13.0', '3.12.0'] },
      realmOrigin: `https://${ECR}`,
    });
    const out = await run(registry);
    expect(out.summary).toBe(`Registry tags of ${IMAGE}: no-safe-fix`);
    expect(out.output).toMatch(
      /no safe fix: the registry has no tag 3\.12\.1, and the cluster ran none of the tags it lists; a different version would be a guess\.\n {2}the registry lists 2 tag\(s\); nearest by version: 3\.12\.0, 3\.13\.0\.\n {2}The cluster ran [^\n]*v3\.12\.1[^\n]*, which the registry no longer lists\.$/,
    );
  });

  it('will not fetch a token from a plain-HTTP realm an HTTPS registry names', async () => {
    registry = await startFakeRegistry({ repositories: { 'storefront/catalog-api': ['v3.12.1'] } });
    const out = await run(registry);
    expect(out.status).toBe('no_data');
    expect(out.output).toBe(
      `Could not list the tags of ${ECR}/storefront/catalog-api: ${ECR} names a token realm Foxhound will not ask (http://${registry.host}/token): it must be an HTTPS URL.`,
    );
    expect(registry.requests.map((r) => r.path)).toStrictEqual([
      '/v2/storefront/catalog-api/tags/list?n=1000',
    ]);
  });

  it('reports a registry it may not ask as no data, never a guess', async () => {
    registry = await startFakeRegistry({ repositories: {} });
    const out = await registryTags({ allowedHosts: [] }).run({ namespace: 'storefront', image: IMAGE }, ctx);
    expect(out.status).toBe('no_data');
    expect(out.output).toBe(
      `Could not list the tags of ${ECR}/storefront/catalog-api: registry ${ECR} is not one Foxhound may ask (allowed: none).`,
    );
    expect(registry.requests).toHaveLength(0);
  });
});
