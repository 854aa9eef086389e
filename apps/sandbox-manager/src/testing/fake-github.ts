// A local fake of the GitHub REST API over real HTTP on loopback, as much of it as a pull request
// takes: repository, refs, contents (directory listings, files as base64 with their blob sha, PUT
// guarded by the sha it replaces: 409 when the file moved), and pulls. One repository, commits as
// whole file maps; it records every request with its Authorization header.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

type Files = Record<string, string>;

export interface FakeGitHub {
  apiUrl: string;
  requests: { method: string; path: string; authorization?: string }[];
  /** Branch → its files now. */
  files(branch: string): Files | undefined;
  pulls: { number: number; head: string; base: string; title: string; body: string; merged: boolean }[];
  /** Commits `files` on top of `branch` (another author moving it). */
  push(branch: string, files: Files): void;
  /** Called before a contents PUT is answered (to move the branch under it). */
  beforeCommit?: () => void;
  close(): Promise<void>;
}

export const blobSha = (text: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');

export async function startFakeGitHub(options: {
  owner: string;
  repo: string;
  token: string;
  defaultBranch?: string;
  files: Files;
}): Promise<FakeGitHub> {
  const prefix = `/repos/${options.owner}/${options.repo}`;
  const defaultBranch = options.defaultBranch ?? 'main';
  const commits = new Map<string, Files>();
  const branches = new Map<string, string>();
  let counter = 0;
  const commit = (files: Files) => {
    const sha = createHash('sha1').update(`commit ${++counter}`).digest('hex');
    commits.set(sha, files);
    return sha;
  };
  branches.set(defaultBranch, commit({ ...options.files }));
  const requests: FakeGitHub['requests'] = [];
  const pulls: FakeGitHub['pulls'] = [];

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const filesAt = (ref: string) => commits.get(branches.get(ref) ?? ref);
  const pullJson = (p: FakeGitHub['pulls'][number]) => ({
    number: p.number,
    html_url: `https://github.test/${options.owner}/${options.repo}/pull/${p.number}`,
    state: p.merged ? 'closed' : 'open',
    merged: p.merged,
    head: { ref: p.head },
    base: { ref: p.base },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const text = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => resolve(data));
    });
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return send(res, 401, { message: 'Bad credentials' });
    if (!url.pathname.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
    const path = url.pathname.slice(prefix.length);
    if (req.method === 'GET' && path === '') return send(res, 200, { default_branch: defaultBranch });
    const ref = path.match(/^\/git\/ref\/heads\/(.+)$/);
    if (req.method === 'GET' && ref) {
      const sha = branches.get(decodeURIComponent(ref[1]!));
      return sha ? send(res, 200, { object: { sha } }) : send(res, 404, { message: 'Not Found' });
    }
    if (req.method === 'POST' && path === '/git/refs') {
      const name = String(body.ref).replace(/^refs\/heads\//, '');
      if (branches.has(name)) return send(res, 422, { message: 'Reference already exists' });
      if (!commits.has(String(body.sha))) return send(res, 422, { message: 'Object does not exist' });
      branches.set(name, String(body.sha));
      return send(res, 201, { ref: body.ref, object: { sha: body.sha } });
    }
    const contents = path.match(/^\/contents\/?(.*)$/);
    if (contents) {
      const file = contents[1]!.split('/').map(decodeURIComponent).join('/');
      if (req.method === 'GET') {
        const files = filesAt(url.searchParams.get('ref') ?? defaultBranch);
        if (!files) return send(res, 404, { message: 'No commit found for the ref' });
        if (files[file] !== undefined)
          return send(res, 200, {
            type: 'file',
            path: file,
            encoding: 'base64',
            content: Buffer.from(files[file]).toString('base64'),
            sha: blobSha(files[file]),
          });
        const dir = file ? `${file}/` : '';
        const names = new Set(
          Object.keys(files)
            .filter((p) => p.startsWith(dir))
            .map((p) => p.slice(dir.length).split('/')[0]!),
        );
        if (!names.size) return send(res, 404, { message: 'Not Found' });
        return send(
          res,
          200,
          [...names].map((name) => ({
            name,
            path: dir + name,
            type: files[dir + name] !== undefined ? 'file' : 'dir',
          })),
        );
      }
      if (req.method === 'PUT') {
        fake.beforeCommit?.();
        const branch = String(body.branch);
        const files = filesAt(branch);
        if (!files) return send(res, 404, { message: `Branch ${branch} not found` });
        if (files[file] !== undefined && blobSha(files[file]) !== body.sha)
          return send(res, 409, { message: `${file} does not match ${String(body.sha)}` });
        const next = { ...files, [file]: Buffer.from(String(body.content), 'base64').toString('utf8') };
        const sha = commit(next);
        branches.set(branch, sha);
        return send(res, 200, { commit: { sha } });
      }
    }
    if (path === '/pulls' && req.method === 'GET') {
      const head = url.searchParams.get('head')?.split(':')[1];
      return send(res, 200, pulls.filter((p) => p.head === head).map(pullJson));
    }
    if (path === '/pulls' && req.method === 'POST') {
      if (!branches.has(String(body.head))) return send(res, 422, { message: 'Validation Failed: head' });
      const pull = {
        number: pulls.length + 1,
        head: String(body.head),
        base: String(body.base),
        title: String(body.title),
        body: String(body.body),
        merged: false,
      };
      pulls.push(pull);
      return send(res, 201, pullJson(pull));
    }
    const pull = path.match(/^\/pulls\/(\d+)$/);
    if (pull && req.method === 'GET') {
      const found = pulls.find((p) => p.number === Number(pull[1]));
      return found ? send(res, 200, pullJson(found)) : send(res, 404, { message: 'Not Found' });
    }
    return send(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
    });
    handle(req, res, url).catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeGitHub = {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    files: (branch) => filesAt(branch),
    pulls,
    push: (branch, files) => {
      branches.set(branch, commit({ ...filesAt(branch), ...files }));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}
