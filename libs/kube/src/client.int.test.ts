import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { KubeApiError, createKubeClient, loadKubeConfig } from './client';

function kubeconfig(server: string, token = 'token-abcdefgh') {
  return {
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  };
}

describe('loadKubeConfig', () => {
  it.each([
    [
      'no clusters',
      { ...kubeconfig('http://127.0.0.1:1'), clusters: [] },
      'invalid kubeconfig object: clusters: Too small: expected array to have >=1 items',
    ],
    [
      'a server that is not a URL',
      kubeconfig('not a url'),
      'invalid kubeconfig object: clusters.0.server: Invalid URL',
    ],
    [
      'no current context',
      { ...kubeconfig('http://127.0.0.1:1'), currentContext: '' },
      'invalid kubeconfig object: currentContext: Too small: expected string to have >=1 characters',
    ],
    [
      'not an object',
      'kubeconfig',
      'invalid kubeconfig object: (root): Invalid input: expected object, received string',
    ],
  ])('rejects %s', (_name, config, message) => {
    expect(() => loadKubeConfig({ from: 'object', config })).toThrow(message);
  });

  it('loads YAML', () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n');
    expect(loadKubeConfig({ from: 'yaml', yaml }).getCurrentCluster()?.server).toBe('https://10.0.0.1:6443');
  });
});

describe('KubeClient', () => {
  let server: http.Server;
  let url: string;
  const seen: { path?: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ path: req.url, auth: req.headers.authorization });
      if (req.url?.startsWith('/api/v1/namespaces/shop/pods/missing')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            status: 'Failure',
            message: 'pods "missing" not found',
            reason: 'NotFound',
            code: 404,
          }),
        );
      } else if (req.url === '/big') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`"${'x'.repeat(4096)}"`);
      } else if (req.url === '/text') {
        res.writeHead(200);
        res.end('<html>');
      } else if (req.url === '/hang') {
        // never answers: the client's timeout must end the request
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ path: req.url }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  );

  it('sends the bearer token and the query', async () => {
    const client = createKubeClient({ from: 'object', config: kubeconfig(url) });
    expect(await client.getJson('/api/v1/pods', { limit: 5, continue: undefined, watch: false })).toEqual({
      path: '/api/v1/pods?limit=5&watch=false',
    });
    expect(seen.at(-1)).toEqual({ path: '/api/v1/pods?limit=5&watch=false', auth: 'Bearer token-abcdefgh' });
  });

  it("turns an error answer into a KubeApiError with the server's message", async () => {
    const client = createKubeClient({ from: 'object', config: kubeconfig(url) });
    const err = await client.getJson('/api/v1/namespaces/shop/pods/missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err).toMatchObject({
      status: 404,
      reason: 'NotFound',
      message: 'GET /api/v1/namespaces/shop/pods/missing: 404 pods "missing" not found',
    });
  });

  it.each([
    [
      'a body over the size bound',
      '/big',
      { maxResponseBytes: 1024 },
      'GET /big: response larger than 1024 bytes',
    ],
    ['an answer that is not JSON', '/text', {}, 'GET /text: the answer is not JSON'],
    ['a server that never answers', '/hang', { timeoutMs: 200 }, 'GET /hang: no answer within 200 ms'],
  ])('fails cleanly on %s', async (_name, path, options, message) => {
    const client = createKubeClient({ from: 'object', config: kubeconfig(url) }, options);
    await expect(client.getJson(path)).rejects.toThrow(message);
  });
});
