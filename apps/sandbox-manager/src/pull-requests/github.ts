// The GitHub REST API calls a pull request takes, and nothing else: read a branch's head, list a
// directory and read a file at a commit, create a branch, commit one file to it (guarded by the
// file's blob sha, so a file that moved is refused with 409), open the pull request and read it
// back. Every request has a timeout and a body cap; the token goes only to the configured API
// origin and never into an error message.

export interface GitHubOptions {
  /** `https://api.github.com`, or a GitHub Enterprise Server's `https://<host>/api/v3`. */
  apiUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface DirectoryEntry {
  type: 'file' | 'dir' | 'symlink' | 'submodule';
  name: string;
  path: string;
}

export interface PullRequest {
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
  head: string;
  base: string;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A GitHub answer that is not a success: its status and GitHub's own message. */
export class GitHubError extends Error {
  override readonly name = 'GitHubError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class GitHub {
  private readonly base: string;

  constructor(private readonly options: GitHubOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '');
  }

  async defaultBranch({ owner, repo }: RepoRef): Promise<string> {
    const body = await this.call<{ default_branch?: string }>('GET', `/repos/${owner}/${repo}`);
    if (!body.default_branch) throw new GitHubError(502, `${owner}/${repo} names no default branch.`);
    return body.default_branch;
  }

  /** The commit a branch points at. */
  async branchHead({ owner, repo }: RepoRef, branch: string): Promise<string> {
    const body = await this.call<{ object?: { sha?: string } }>(
      'GET',
      `/repos/${owner}/${repo}/git/ref/heads/${encodePath(branch)}`,
    );
    if (!body.object?.sha) throw new GitHubError(502, `branch ${branch} of ${owner}/${repo} has no commit.`);
    return body.object.sha;
  }

  async listDirectory({ owner, repo }: RepoRef, path: string, ref: string): Promise<DirectoryEntry[]> {
    const body = await this.call<unknown>('GET', `/repos/${owner}/${repo}/contents/${encodePath(path)}`, {
      query: { ref },
    });
    if (!Array.isArray(body))
      throw new GitHubError(422, `${path} in ${owner}/${repo} is a file, not a directory.`);
    return body as DirectoryEntry[];
  }

  /** A file's text and blob sha at a commit. */
  async readFile(
    { owner, repo }: RepoRef,
    path: string,
    ref: string,
  ): Promise<{ text: string; sha: string }> {
    const body = await this.call<{ content?: string; encoding?: string; sha?: string }>(
      'GET',
      `/repos/${owner}/${repo}/contents/${encodePath(path)}`,
      { query: { ref } },
    );
    if (body.encoding !== 'base64' || body.content === undefined || !body.sha)
      throw new GitHubError(422, `${path} in ${owner}/${repo} is not a file GitHub returns whole.`);
    return { text: Buffer.from(body.content, 'base64').toString('utf8'), sha: body.sha };
  }

  /** Creates `branch` at `sha`; false when it exists already. */
  async createBranch({ owner, repo }: RepoRef, branch: string, sha: string): Promise<boolean> {
    try {
      await this.call('POST', `/repos/${owner}/${repo}/git/refs`, {
        body: { ref: `refs/heads/${branch}`, sha },
      });
      return true;
    } catch (err) {
      if (err instanceof GitHubError && err.status === 422 && /already exists/i.test(err.message))
        return false;
      throw err;
    }
  }

  /** Commits new content of one file to a branch; `sha` is the blob it replaces (409 if it moved). */
  async commitFile(
    { owner, repo }: RepoRef,
    change: { path: string; branch: string; text: string; sha: string; message: string },
  ): Promise<string> {
    const body = await this.call<{ commit?: { sha?: string } }>(
      'PUT',
      `/repos/${owner}/${repo}/contents/${encodePath(change.path)}`,
      {
        body: {
          message: change.message,
          content: Buffer.from(change.text, 'utf8').toString('base64'),
          sha: change.sha,
          branch: change.branch,
        },
      },
    );
    return body.commit?.sha ?? '';
  }

  /** The pull request from `head` (a branch of the same repository), if one was opened. */
  async findPullRequest(ref: RepoRef, head: string): Promise<PullRequest | undefined> {
    const list = await this.call<unknown[]>('GET', `/repos/${ref.owner}/${ref.repo}/pulls`, {
      query: { head: `${ref.owner}:${head}`, state: 'all' },
    });
    return Array.isArray(list) && list[0] ? toPullRequest(list[0]) : undefined;
  }

  async openPullRequest(
    { owner, repo }: RepoRef,
    pr: { title: string; body: string; head: string; base: string },
  ): Promise<PullRequest> {
    return toPullRequest(await this.call('POST', `/repos/${owner}/${repo}/pulls`, { body: pr }));
  }

  async getPullRequest({ owner, repo }: RepoRef, number: number): Promise<PullRequest> {
    return toPullRequest(await this.call('GET', `/repos/${owner}/${repo}/pulls/${number}`));
  }

  private async call<T>(
    method: string,
    path: string,
    init: { query?: Record<string, string>; body?: unknown } = {},
  ): Promise<T> {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.options.token}`,
          'x-github-api-version': '2022-11-28',
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new GitHubError(
        503,
        `GitHub is unreachable (${method} ${path}): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const text = await response.text();
    if (text.length > MAX_BODY_BYTES)
      throw new GitHubError(502, `GitHub answered more than ${MAX_BODY_BYTES} bytes to ${method} ${path}.`);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new GitHubError(502, `GitHub answered ${method} ${path} with something that is not JSON.`);
    }
    if (!response.ok) {
      const message = (body as { message?: unknown }).message;
      throw new GitHubError(
        response.status,
        `GitHub refused ${method} ${path} (HTTP ${response.status}${typeof message === 'string' ? `: ${message.slice(0, 300)}` : ''}).`,
      );
    }
    return body as T;
  }
}

/** Each segment encoded, the slashes kept: `apps/shop web/x.yaml` → `apps/shop%20web/x.yaml`. */
const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

function toPullRequest(raw: unknown): PullRequest {
  const pr = raw as {
    number?: number;
    html_url?: string;
    state?: string;
    merged?: boolean;
    merged_at?: string | null;
    head?: { ref?: string };
    base?: { ref?: string };
  };
  if (typeof pr.number !== 'number' || !pr.html_url)
    throw new GitHubError(502, 'GitHub answered a pull request without a number.');
  return {
    number: pr.number,
    url: pr.html_url,
    state: pr.state === 'closed' ? 'closed' : 'open',
    merged: pr.merged ?? Boolean(pr.merged_at),
    head: pr.head?.ref ?? '',
    base: pr.base?.ref ?? '',
  };
}
