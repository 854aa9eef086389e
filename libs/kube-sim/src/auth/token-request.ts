// TokenRequest (`POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token`): short-lived tokens
// for a ServiceAccount, as the real API server mints them for `kubectl create token` and projected
// volumes. A token authenticates as `system:serviceaccount:<ns>:<name>` (with the service-account
// groups) until it expires or its ServiceAccount is deleted; RBAC then decides what it may do.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors } from '../api/status';
import { type HandlerContext } from '../handlers/context';
import { mediaType, parseBody, readBody, sendJson } from '../server/http';
import { formatTime } from '../store/meta';
import { type KubeStore } from '../store';
import { type UserInfo } from '../types';

/** The real server's bounds: at least 10 minutes, default one hour, capped here at 48 hours. */
const MIN_SECONDS = 600;
const DEFAULT_SECONDS = 3600;
const MAX_SECONDS = 48 * 3600;
/** Issued tokens kept at most (oldest forgotten first), so a loop minting tokens cannot grow memory. */
const MAX_TOKENS = 10_000;

interface Issued {
  hash: Buffer;
  namespace: string;
  name: string;
  uid: string;
  expiresAt: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export class TokenIssuer {
  private readonly issued: Issued[] = [];

  constructor(
    private readonly store: KubeStore,
    private readonly now: () => Date,
  ) {}

  /** The ServiceAccount user a bearer token was issued for, if it is one of ours and still valid. */
  authenticate(authorization: string | undefined): UserInfo | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m || !m[1].startsWith('kube-sim-sa.')) return undefined;
    const presented = digest(m[1]);
    const at = this.now().getTime();
    let found: Issued | undefined;
    for (const t of this.issued) if (timingSafeEqual(t.hash, presented)) found = t;
    if (!found || found.expiresAt <= at) return undefined;
    // Bound to the ServiceAccount object: deleting it (or re-creating it) revokes the token.
    const sa = this.store.find('serviceaccounts', found.namespace, found.name);
    if (!sa || sa.metadata.uid !== found.uid) return undefined;
    return {
      username: `system:serviceaccount:${found.namespace}:${found.name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${found.namespace}`, 'system:authenticated'],
    };
  }

  async handle(ctx: HandlerContext): Promise<void> {
    const { namespace, name } = ctx.info as { namespace: string; name: string };
    if (ctx.info.verb !== 'create') throw errors.methodNotAllowed();
    const sa = ctx.store.get(ctx.resource, namespace, name);
    const body = (parseBody(await readBody(ctx.req), mediaType(ctx.req)) ?? {}) as {
      kind?: string;
      spec?: { expirationSeconds?: unknown; audiences?: unknown };
    };
    if (body.kind !== undefined && body.kind !== 'TokenRequest')
      throw errors.badRequest(`expected a TokenRequest, got ${String(body.kind)}`);
    const requested = body.spec?.expirationSeconds ?? DEFAULT_SECONDS;
    if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < MIN_SECONDS) {
      throw errors.invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, name, [
        {
          field: 'spec.expirationSeconds',
          message: `Invalid value: ${JSON.stringify(requested)}: may not specify a duration less than 10 minutes`,
        },
      ]);
    }
    const seconds = Math.min(requested, MAX_SECONDS);
    const token = `kube-sim-sa.${randomBytes(32).toString('base64url')}`;
    const expiresAt = this.now().getTime() + seconds * 1000;
    this.issued.push({ hash: digest(token), namespace, name, uid: sa.metadata.uid ?? '', expiresAt });
    if (this.issued.length > MAX_TOKENS) this.issued.splice(0, this.issued.length - MAX_TOKENS);
    sendJson(ctx.res, 201, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: {
        audiences:
          Array.isArray(body.spec?.audiences) && body.spec.audiences.length
            ? body.spec.audiences
            : ['https://kubernetes.default.svc'],
        expirationSeconds: seconds,
        boundObjectRef: null,
      },
      status: { token, expirationTimestamp: formatTime(new Date(expiresAt)) },
    });
  }
}
