// SelfSubjectAccessReview (authorization.k8s.io/v1): "may I do this?", answered by the same
// authorizer that guards every request. `kubectl auth can-i` uses it.
import { errors } from '../api/status';
import { type AuthorizationAttributes } from '../auth/authorizer';
import { mediaType, parseBody, readBody, sendJson } from '../server/http';
import { type HandlerContext } from './context';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function handleAccessReview(
  ctx: HandlerContext,
  allows: (a: AuthorizationAttributes) => boolean,
): Promise<void> {
  if (ctx.info.resource !== 'selfsubjectaccessreviews' || ctx.info.verb !== 'create')
    throw errors.methodNotAllowed();
  const review = parseBody(await readBody(ctx.req), mediaType(ctx.req)) as Json;
  const ra = review?.spec?.resourceAttributes as Json | undefined;
  const nra = review?.spec?.nonResourceAttributes as Json | undefined;
  if (!ra === !nra) {
    throw errors.invalid({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }, '', [
      {
        field: 'spec',
        message:
          'Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  const attrs: AuthorizationAttributes = ra
    ? {
        user: ctx.user,
        isResourceRequest: true,
        path: '',
        verb: String(ra.verb ?? ''),
        group: String(ra.group ?? ''),
        resource: String(ra.resource ?? ''),
        subresource: ra.subresource ? String(ra.subresource) : undefined,
        namespace: ra.namespace ? String(ra.namespace) : undefined,
        name: ra.name ? String(ra.name) : undefined,
      }
    : {
        user: ctx.user,
        isResourceRequest: false,
        path: String(nra!.path ?? ''),
        verb: String(nra!.verb ?? ''),
      };
  const allowed = allows(attrs);
  sendJson(ctx.res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: review.spec,
    status: { allowed, ...(allowed ? {} : { reason: '' }) },
  });
}
