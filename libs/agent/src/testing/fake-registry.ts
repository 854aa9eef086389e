// A local fake of an OCI distribution registry over real HTTP on loopback, for tests: its token
// service (GET /token with service and scope, Basic credentials for private repositories) and
// `GET /v2/<name>/tags/list` behind a Bearer challenge, paged with `Link` headers as registries do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface FakeRegistry {
  /** `127.0.0.1:<port>`, as an image reference names the registry. */
  host: string;
  /** Every request, in order: method, path with query, Authorization header. */
  requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

export interface FakeRegistryOptions {
  /** Repository → its tags. */
  repositories: Record<string, string[]>;
  /** Repositories that need `credentials` at the token service. */
  private?: string[];
  credentials?: { username: string; password: string };
  pageSize?: number;
  /** Serve a tag list this many bytes long instead (to test the size bound). */
  hugeBody?: number;
  /** The origin its challenge names for the token service (default: its own); a test routes it back here. */
  realmOrigin?: string;
}

const SERVICE = 'fake-registry';

export async function startFakeRegistry(options: FakeRegistryOptions): Promise<FakeRegistry> {
  const requests: FakeRegistry['requests'] = [];
  const tokens = new Map<string, string>(); // token → the scope it grants
  let issued = 0;
  const host = () => `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', `http://${host()}`);
    requests.push({ path: url.pathname + url.search, authorization: req.headers.authorization });
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      const repository = scope.split(':')[1] ?? '';
      if (url.searchParams.get('service') !== SERVICE) return json(res, 400, { details: 'bad service' });
      if (options.private?.includes(repository)) {
        const c = options.credentials;
        const expected = c && `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return json(res, 401, { details: 'bad credentials' });
      }
      const token = `tok-${++issued}`;
      tokens.set(token, scope);
      return json(res, 200, { token, expires_in: 300 });
    }
    const m = url.pathname.match(/^\/v2\/(.+)\/tags\/list$/);
    if (!m) return json(res, 404, { errors: [{ code: 'NOT_FOUND' }] });
    const repository = m[1]!;
    const scope = `repository:${repository}:pull`;
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (!token || tokens.get(token) !== scope)
      return json(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED' }] },
        {
          'www-authenticate': `Bearer realm="${options.realmOrigin ?? `http://${host()}`}/token",service="${SERVICE}",scope="${scope}"`,
        },
      );
    const tags = options.repositories[repository];
    if (!tags)
      return json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] });
    if (options.hugeBody) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(`{"name":"${repository}","tags":["${'x'.repeat(options.hugeBody)}"]}`);
    }
    const n = Math.min(Number(url.searchParams.get('n') ?? 1000), options.pageSize ?? 1000);
    const last = url.searchParams.get('last');
    const start = last ? tags.indexOf(last) + 1 : 0;
    const page = tags.slice(start, start + n);
    const more = start + n < tags.length;
    return json(
      res,
      200,
      { name: repository, tags: page },
      more ? { link: `</v2/${repository}/tags/list?n=${n}&last=${page.at(-1)}>; rel="next"` } : {},
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: host(),
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
