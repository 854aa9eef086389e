// Read-only tag listing through the OCI distribution API (`GET /v2/<name>/tags/list`), with the
// registry token dance every public registry uses: the first request answers 401 with a
// `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge, the realm hands out a pull token
// (anonymously, or for the given credentials), and the request is repeated with it. Pages follow
// the `Link: <…>; rel="next"` header on the same origin. Only allow-listed registry hosts are
// asked, over HTTPS (plain HTTP only for a loopback registry named as such); every request has a
// timeout, every body a size cap, and the listing a page and tag bound. What to make of the tags
// is nearest-tag.ts's.
import { parseImage } from '@foxhound/diagnostics';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface DistributionOptions {
  /** Registry hosts (as images name them: `docker.io`, `ghcr.io`, `registry.local:5000`) that may be asked. */
  allowedHosts: readonly string[];
  /** Allow-listed loopback hosts spoken to over plain HTTP (a local registry); any other host needs HTTPS. */
  plainHttpHosts?: readonly string[];
  /** Credentials for a registry's token endpoint, e.g. from an imagePullSecret. */
  credentials?: (host: string) => RegistryCredentials | undefined;
  fetch?: typeof fetch;
  /** Per request; default 5 s. */
  timeoutMs?: number;
  /** Stop after this many tags; default 5,000. */
  maxTags?: number;
  /** Stop after this many pages; default 10. */
  maxPages?: number;
}

export type TagListing =
  | { ok: true; registry: string; repository: string; tags: string[]; truncated: boolean }
  | {
      ok: false;
      reason: 'refused' | 'not-found' | 'unauthorized' | 'unreachable' | 'bad-response';
      message: string;
    };

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const PAGE_SIZE = 1000;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;
/** Docker Hub's API host: images say `docker.io`, its API answers on `registry-1.docker.io`. */
const API_HOST: Record<string, string> = { 'docker.io': 'registry-1.docker.io' };

class ListingError extends Error {
  constructor(
    readonly reason: Extract<TagListing, { ok: false }>['reason'],
    message: string,
  ) {
    super(message);
  }
}

/** Every tag the registry lists for the image's repository (the image's own tag is ignored). */
export async function listTags(image: string, options: DistributionOptions): Promise<TagListing> {
  const ref = parseImage(image);
  if (!ref) return { ok: false, reason: 'refused', message: `${image} is not an image reference.` };
  const { registry, repository } = ref;
  if (!options.allowedHosts.includes(registry))
    return {
      ok: false,
      reason: 'refused',
      message: `registry ${registry} is not one Foxhound may ask (allowed: ${options.allowedHosts.join(', ') || 'none'}).`,
    };
  const plain = options.plainHttpHosts?.includes(registry) && LOOPBACK.test(registry);
  const origin = `${plain ? 'http' : 'https'}://${API_HOST[registry] ?? registry}`;
  const session = new Session(origin, registry, options);
  const maxTags = options.maxTags ?? 5000;
  const tags: string[] = [];
  let next: string | undefined = `${origin}/v2/${repository}/tags/list?n=${PAGE_SIZE}`;
  let pages = 0;
  try {
    while (next && pages < (options.maxPages ?? 10) && tags.length < maxTags) {
      const page = await session.get(next);
      pages++;
      const body = parseJson(page.body, `the tag list of ${registry}/${repository}`) as {
        tags?: unknown;
      };
      if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags))
        throw new ListingError('bad-response', `${registry} answered a tag list without a tags array.`);
      for (const tag of (body.tags ?? []) as unknown[])
        if (typeof tag === 'string' && /^[\w][\w.-]{0,127}$/.test(tag)) tags.push(tag);
      next = nextPage(page.link, origin);
    }
  } catch (err) {
    if (err instanceof ListingError) return { ok: false, reason: err.reason, message: err.message };
    throw err;
  }
  return {
    ok: true,
    registry,
    repository,
    tags: tags.slice(0, maxTags),
    truncated: next !== undefined || tags.length > maxTags,
  };
}

/** One registry conversation: the token the first challenge earned is reused for later pages. */
class Session {
  private token?: string;

  constructor(
    private readonly origin: string,
    private readonly registry: string,
    private readonly options: DistributionOptions,
  ) {}

  async get(url: string): Promise<{ body: string; link: string | null }> {
    let response = await this.request(url, this.token ? { authorization: `Bearer ${this.token}` } : {});
    if (response.status === 401) {
      await response.body?.cancel();
      const authorization = await this.answer(response.headers.get('www-authenticate') ?? '');
      response = await this.request(url, { authorization });
    }
    const body = await readBounded(response, this.registry);
    if (response.status === 404)
      throw new ListingError(
        'not-found',
        `${this.registry} has no such repository (HTTP 404${errorCode(body)}).`,
      );
    if (response.status === 401 || response.status === 403)
      throw new ListingError(
        'unauthorized',
        `${this.registry} refused to list tags (HTTP ${response.status}${errorCode(body)}).`,
      );
    if (!response.ok)
      throw new ListingError(
        'unreachable',
        `${this.registry} answered HTTP ${response.status}${errorCode(body)}.`,
      );
    return { body, link: response.headers.get('link') };
  }

  /** The Authorization header a challenge asks for: a Bearer token from its realm, or Basic credentials. */
  private async answer(challenge: string): Promise<string> {
    const credentials = this.options.credentials?.(this.registry);
    const basic = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
    const scheme = challenge.trim().split(/\s+/, 1)[0]?.toLowerCase();
    if (scheme === 'basic' && basic) return basic;
    if (scheme !== 'bearer')
      throw new ListingError('unauthorized', `${this.registry} asks for credentials Foxhound does not have.`);
    const params = challengeParams(challenge);
    const realm = params.realm ? safeUrl(params.realm) : undefined;
    const loopbackRegistry = this.origin.startsWith('http:');
    if (!realm || (realm.protocol !== 'https:' && !(loopbackRegistry && LOOPBACK.test(realm.host))))
      throw new ListingError(
        'bad-response',
        `${this.registry} names a token realm Foxhound will not ask (${params.realm ?? 'none'}): it must be an HTTPS URL.`,
      );
    if (params.service) realm.searchParams.set('service', params.service);
    if (params.scope) realm.searchParams.set('scope', params.scope);
    const response = await this.request(realm.toString(), basic ? { authorization: basic } : {});
    const body = await readBounded(response, this.registry);
    if (!response.ok)
      throw new ListingError(
        response.status === 401 || response.status === 403 ? 'unauthorized' : 'unreachable',
        `the token service of ${this.registry} answered HTTP ${response.status}.`,
      );
    const grant = parseJson(body, `the token of ${this.registry}`) as {
      token?: unknown;
      access_token?: unknown;
    };
    const token = typeof grant.token === 'string' ? grant.token : grant.access_token;
    if (typeof token !== 'string' || !token)
      throw new ListingError('bad-response', `the token service of ${this.registry} answered no token.`);
    this.token = token;
    return `Bearer ${token}`;
  }

  private async request(url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await (this.options.fetch ?? fetch)(url, {
        headers: { accept: 'application/json', ...headers },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (err) {
      throw new ListingError(
        'unreachable',
        `${this.registry} is unreachable: ${err instanceof Error ? err.message : String(err)}.`,
      );
    }
  }
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters. */
export function challengeParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return params;
}

/** The next page from a `Link` header, only on the registry's own origin. */
function nextPage(link: string | null, origin: string): string | undefined {
  const target = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/)?.[1];
  if (!target) return undefined;
  const url = safeUrl(target, origin);
  return url && url.origin === origin ? url.toString() : undefined;
}

function safeUrl(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

async function readBounded(response: Response, registry: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new ListingError('bad-response', `${registry} answered more than ${MAX_BODY_BYTES} bytes.`);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ListingError('bad-response', `${registry} answered more than ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(body: string, what: string): unknown {
  try {
    const value = JSON.parse(body) as unknown;
    if (value && typeof value === 'object') return value;
  } catch {
    // fall through to the error below
  }
  throw new ListingError('bad-response', `${what} is not a JSON object.`);
}

/** The registry's error code (`NAME_UNKNOWN`, `DENIED`), when its body has the spec's error shape. */
function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { errors?: { code?: unknown }[] }).errors?.[0]?.code;
    return typeof code === 'string' ? `, ${code.slice(0, 64)}` : '';
  } catch {
    return '';
  }
}
