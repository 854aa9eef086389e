// The HTTP surface byte for byte where clients depend on it: Status bodies, discovery documents and
// their content types, OpenAPI, tables, watch framing (including the in-stream 410), log refusals.
import { startKubeSim, type KubeSim } from '../index';
import { CRASHLOOP_SCENARIO } from '../testing/client';

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({
    scenarios: [CRASHLOOP_SCENARIO],
    tokens: [
      { token: 'admin-token-0001', user: 'admin', groups: ['system:masters'] },
      { token: 'viewer-token-002', user: 'viewer' },
    ],
    authorization: 'rbac',
  });
});
afterAll(() => sim.close());

const ADMIN = { authorization: 'Bearer admin-token-0001' };

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; type: string; body: unknown }> {
  const res = await fetch(sim.url + path, {
    ...init,
    headers: { ...ADMIN, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    type,
    body: type.startsWith('application/json') && text ? JSON.parse(text) : text,
  };
}

const status = (code: number, reason: string, message: string, details?: object) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
  ...(details ? { details } : {}),
});

describe('errors are Status objects', () => {
  it.each([
    [
      '404 for an unknown path',
      '/nope',
      {},
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    ],
    [
      '404 for an unknown resource',
      '/api/v1/widgets',
      {},
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    ],
    [
      '404 for a named namespaced resource without a namespace',
      '/api/v1/pods/x',
      {},
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    ],
    [
      '405 for a verb the resource does not have',
      '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods',
      { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      undefined,
    ],
    [
      '415 for a patch type the server does not know',
      '/api/v1/namespaces/shop/configmaps/x',
      { method: 'PATCH', body: '{}', headers: { 'content-type': 'text/plain' } },
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      undefined,
    ],
    [
      '400 for a body that is not JSON',
      '/api/v1/namespaces/shop/configmaps',
      { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } },
      400,
      'BadRequest',
      expect.stringContaining('the body of the request could not be decoded'),
      undefined,
    ],
    [
      '400 when the body names another namespace',
      '/api/v1/namespaces/shop/configmaps',
      {
        method: 'POST',
        body: JSON.stringify({ metadata: { name: 'x', namespace: 'other' } }),
        headers: { 'content-type': 'application/json' },
      },
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
      undefined,
    ],
    [
      '400 for a bad label selector',
      '/api/v1/pods?labelSelector=a%20in%20(b',
      {},
      400,
      'BadRequest',
      "unable to parse requirement: found '(', expected: ')'",
      undefined,
    ],
    [
      '400 for an unsupported field label',
      '/api/v1/pods?fieldSelector=spec.image%3Dx',
      {},
      400,
      'BadRequest',
      'field label not supported: spec.image',
      undefined,
    ],
    [
      '400 for a limit that is not a number',
      '/api/v1/pods?limit=ten',
      {},
      400,
      'BadRequest',
      'invalid query parameter limit: limit must be a non-negative integer',
      undefined,
    ],
    [
      '400 for dryRun other than All',
      '/api/v1/namespaces/shop/configmaps?dryRun=Some',
      {
        method: 'POST',
        body: JSON.stringify({ metadata: { name: 'x' } }),
        headers: { 'content-type': 'application/json' },
      },
      400,
      'BadRequest',
      'invalid query parameter dryRun: Invalid value: supported values: "All"',
      undefined,
    ],
  ])('%s', async (_name, path, init, code, reason, message, details) => {
    const r = await call(path, init as RequestInit);
    expect(r.status).toBe(code);
    expect(r.type).toBe('application/json');
    expect(r.body).toEqual(status(code, reason, message as string, details));
  });

  it('413 for a body over 3 MiB', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { k: 'x'.repeat(3 * 1024 * 1024) } });
    const r = await call('/api/v1/namespaces/shop/configmaps', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.body).toEqual(
      status(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
    );
  });
});

describe('authentication and authorization', () => {
  it.each([
    [
      '401 for an unknown token',
      '/api/v1/pods',
      { authorization: 'Bearer wrong-token-xyz' },
      401,
      status(401, 'Unauthorized', 'Unauthorized'),
    ],
    [
      '403 for an anonymous list',
      '/api/v1/namespaces/shop/pods',
      { authorization: '' },
      403,
      status(
        403,
        'Forbidden',
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "shop"',
        { kind: 'pods' },
      ),
    ],
    [
      '403 for a cluster-scoped get by an authenticated user without a binding',
      '/api/v1/nodes/node-a',
      { authorization: 'Bearer viewer-token-002' },
      403,
      status(
        403,
        'Forbidden',
        'nodes "node-a" is forbidden: User "viewer" cannot get resource "nodes" in API group "" at the cluster scope',
        { name: 'node-a', kind: 'nodes' },
      ),
    ],
    [
      '403 for a subresource',
      '/apis/apps/v1/namespaces/shop/deployments/checkout/scale',
      { authorization: 'Bearer viewer-token-002' },
      403,
      status(
        403,
        'Forbidden',
        'deployments.apps "checkout" is forbidden: User "viewer" cannot get resource "deployments/scale" in API group "apps" in the namespace "shop"',
        {
          name: 'checkout',
          group: 'apps',
          kind: 'deployments',
        },
      ),
    ],
    [
      '200 for discovery when authenticated',
      '/apis',
      { authorization: 'Bearer viewer-token-002' },
      200,
      expect.objectContaining({ kind: 'APIGroupList' }),
    ],
    ['200 for health checks, even anonymous', '/healthz', { authorization: '' }, 200, 'ok'],
  ])('%s', async (_name, path, headers, code, body) => {
    const r = await call(path, { headers });
    expect(r.status).toBe(code);
    expect(r.body).toEqual(body);
  });

  it('a SelfSubjectAccessReview answers for the caller', async () => {
    const review = (verb: string) =>
      call('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        headers: { authorization: 'Bearer viewer-token-002', 'content-type': 'application/json' },
        body: JSON.stringify({ spec: { resourceAttributes: { namespace: 'shop', verb, resource: 'pods' } } }),
      });
    expect((await review('list')).body).toMatchObject({ status: { allowed: false } });
    sim.store.create('roles.rbac.authorization.k8s.io', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pods', namespace: 'shop' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
    });
    sim.store.create('rolebindings.rbac.authorization.k8s.io', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'viewer-pods', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods' },
      subjects: [{ kind: 'User', name: 'viewer' }],
    });
    expect((await review('list')).body).toMatchObject({ status: { allowed: true } });
    expect((await review('delete')).body).toMatchObject({ status: { allowed: false } });
  });
});

describe('discovery', () => {
  it('serves aggregated discovery with its content type when asked', async () => {
    const r = await call('/apis', {
      headers: {
        accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(r.type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const apps = (
      r.body as {
        items: {
          metadata: { name: string };
          versions: { resources: { resource: string; subresources?: { subresource: string }[] }[] }[];
        }[];
      }
    ).items.find((g) => g.metadata.name === 'apps');
    const deployments = apps?.versions[0].resources.find((x) => x.resource === 'deployments');
    expect(deployments?.subresources?.map((s) => s.subresource)).toEqual(['status', 'scale']);
  });

  it('serves the legacy documents', async () => {
    expect((await call('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect((await call('/apis/apps')).body).toMatchObject({
      kind: 'APIGroup',
      name: 'apps',
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    const core = (await call('/api/v1')).body as { resources: { name: string; verbs: string[] }[] };
    expect(core.resources.find((r) => r.name === 'pods/log')).toEqual({
      name: 'pods/log',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get'],
    });
    const apps = (await call('/apis/apps/v1')).body as { resources: { name: string }[] };
    expect(apps.resources.find((r) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect((await call('/version')).body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
  });

  it('serves OpenAPI v3 patch operations with fieldValidation', async () => {
    const index = (await call('/openapi/v3')).body as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const doc = (await call(index.paths['apis/apps/v1'].serverRelativeURL)).body as {
      paths: Record<string, { patch: { parameters: { name: string }[] } }>;
    };
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.parameters.map((p) => p.name)).toContain('fieldValidation');
  });
});

describe('server-side tables', () => {
  it('answers Accept: as=Table with columns and rows', async () => {
    const r = await call('/api/v1/namespaces/shop/pods', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const table = r.body as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string } }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
    ]);
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['checkout-7d9f8b6c5-x2x9q', '0/1', 'CrashLoopBackOff']);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
  });
});

describe('watch over HTTP', () => {
  it('an expired resourceVersion is a 200 stream with one ERROR event, then the end', async () => {
    sim.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'w1', namespace: 'shop' },
    });
    const old = sim.store.resourceVersion;
    sim.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'w2', namespace: 'shop' },
    });
    sim.store.compact();
    const res = await fetch(
      `${sim.url}/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=${old - 1}`,
      { headers: ADMIN },
    );
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        type: 'ERROR',
        object: status(410, 'Expired', expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/)),
      },
    ]);
  });

  it('ends the stream at timeoutSeconds', async () => {
    const r = await call(
      `/api/v1/namespaces/shop/configmaps?watch=1&timeoutSeconds=1&resourceVersion=${sim.store.resourceVersion}`,
    );
    expect(r).toEqual({ status: 200, type: 'application/json', body: '' });
  });
});

describe('deletion over HTTP', () => {
  it('202 while a finalizer holds the object, 200 once deleted', async () => {
    sim.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', namespace: 'shop', finalizers: ['x/y'] },
    });
    const pending = await call('/api/v1/namespaces/shop/configmaps/held', { method: 'DELETE' });
    expect(pending.status).toBe(202);
    expect(
      (pending.body as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp,
    ).toBeDefined();
    sim.store.patch('configmaps', 'shop', 'held', 'merge', { metadata: { finalizers: null } });
    const gone = await call('/api/v1/namespaces/shop/configmaps/held');
    expect(gone.status).toBe(404);
  });

  it('deletecollection deletes by label and returns what it deleted', async () => {
    for (const name of ['dc-a', 'dc-b']) {
      sim.store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'shop', labels: { batch: 'dc' } },
      });
    }
    const r = await call('/api/v1/namespaces/shop/configmaps?labelSelector=batch%3Ddc', { method: 'DELETE' });
    expect(
      (r.body as { kind: string; items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name),
    ).toEqual(['dc-a', 'dc-b']);
    expect((r.body as { kind: string }).kind).toBe('ConfigMapList');
  });
});

describe('pod logs over HTTP', () => {
  beforeAll(() => {
    sim.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'two', namespace: 'shop' },
      spec: {
        containers: [
          { name: 'a', image: 'a' },
          { name: 'b', image: 'b' },
        ],
      },
    });
  });

  it.each([
    [
      'a container must be chosen',
      '/api/v1/namespaces/shop/pods/two/log',
      'a container name must be specified for pod two, choose one of: [a b]',
    ],
    [
      'previous without a terminated container',
      '/api/v1/namespaces/shop/pods/two/log?container=a&previous=true',
      'previous terminated container "a" in pod "two" not found',
    ],
    [
      'a container that has not started',
      '/api/v1/namespaces/shop/pods/two/log?container=a',
      'container "a" in pod "two" is waiting to start: ContainerCreating',
    ],
  ])('400 when %s', async (_name, path, message) => {
    const r = await call(path);
    expect(r.body).toEqual(status(400, 'BadRequest', message));
  });

  it('follow=true streams what is appended until the client leaves', async () => {
    sim.logs.set('shop', 'two', 'a', { current: 'first\n' });
    const controller = new AbortController();
    const res = await fetch(`${sim.url}/api/v1/namespaces/shop/pods/two/log?container=a&follow=true`, {
      headers: ADMIN,
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value } = await reader.read();
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil('first\n');
    sim.logs.append('shop', 'two', 'a', 'second\n');
    await readUntil('second\n');
    expect(text).toBe('first\nsecond\n');
    controller.abort();
  });
});
