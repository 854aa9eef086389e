// The HTTP front of kube-sim: authenticate, parse the request path, authorize, then route to
// discovery, OpenAPI, health, or a resource verb handler. Every failure is a Kubernetes Status.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  wantsAggregated,
} from '../api/discovery';
import { openApiDocument, openApiIndex } from '../api/openapi';
import { type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { type Authenticator } from '../auth/authn';
import { authorize, forbidden, type AuthorizationMode } from '../auth/authorizer';
import { impersonate } from '../auth/impersonation';
import { type TokenIssuer } from '../auth/token-request';
import { handleAccessReview } from '../handlers/access-review';
import { type HandlerContext, type ServerParts } from '../handlers/context';
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
} from '../handlers/crud';
import { handleLog } from '../handlers/logs';
import { handleScale } from '../handlers/scale';
import { handleWatch } from '../handlers/watch';
import { type UserInfo } from '../types';
import { sendError, sendJson, sendRawJson } from './http';
import { parseRequestInfo, type ResourceRequestInfo } from './request-info';

export interface ApiServerOptions extends ServerParts {
  authenticate: Authenticator;
  authorization: AuthorizationMode;
  /** Serves serviceaccounts/token (TokenRequest). */
  tokens?: TokenIssuer;
}

const MAX_URL_LENGTH = 8192;

export function createApiHandler(options: ApiServerOptions) {
  const { store, authenticate, authorization } = options;

  function nonResource(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed();
    const parts = path.split('/').filter(Boolean);
    const registry = store.registry;
    if (['healthz', 'livez', 'readyz'].includes(parts[0] ?? '')) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    if (path === '/version') return sendJson(res, 200, versionInfo());
    if (path === '/api' || path === '/apis') {
      const aggregated = wantsAggregated(req.headers.accept);
      if (aggregated) {
        const body = JSON.stringify(aggregatedDiscovery(registry, path === '/api', aggregated));
        return sendRawJson(
          res,
          200,
          body,
          `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`,
        );
      }
      return sendJson(
        res,
        200,
        path === '/api' ? apiVersions(req.headers.host ?? '') : apiGroupList(registry),
      );
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const group = apiGroup(registry, parts[1]);
      if (group) return sendJson(res, 200, group);
    }
    if ((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3)) {
      const list =
        parts[0] === 'api'
          ? apiResourceList(registry, '', parts[1])
          : apiResourceList(registry, parts[1], parts[2]);
      if (list) return sendJson(res, 200, list);
    }
    if (path === '/openapi/v3') return sendJson(res, 200, openApiIndex(registry));
    if (parts[0] === 'openapi' && parts[1] === 'v3') {
      const doc = openApiDocument(registry, parts.slice(2).join('/'));
      if (doc) return sendJson(res, 200, doc);
    }
    throw errors.noRoute();
  }

  /** Resolves the resource row and checks the path shape and verb against it. */
  function resolve(info: ResourceRequestInfo): ResourceType {
    const r = store.registry.lookup(info.group, info.version, info.resource);
    if (!r) throw errors.noRoute();
    if (r.group === '' && r.plural === 'namespaces') info.namespace = undefined;
    if (!r.namespaced && info.namespace !== undefined) throw errors.noRoute();
    const needsName =
      info.subresource !== undefined || ['get', 'update', 'patch', 'delete'].includes(info.verb);
    if (r.namespaced && info.namespace === undefined && (needsName || info.verb === 'create'))
      throw errors.noRoute();
    if (info.subresource !== undefined) {
      if (!r.subresources.includes(info.subresource as never)) throw errors.noRoute();
      const allowed =
        info.subresource === 'log'
          ? ['get']
          : info.subresource === 'token'
            ? ['create']
            : ['get', 'update', 'patch'];
      if (!allowed.includes(info.verb)) throw errors.methodNotAllowed();
      return r;
    }
    const verb = info.verb === 'watch' ? 'watch' : info.verb;
    if (!r.verbs.includes(verb as never)) throw errors.methodNotAllowed();
    return r;
  }

  async function route(ctx: HandlerContext): Promise<void> {
    const { info } = ctx;
    if (info.group === 'authorization.k8s.io')
      return handleAccessReview(ctx, (a) => authorize(authorization, store, a));
    if (info.subresource === 'log') return handleLog(ctx);
    if (info.subresource === 'scale') return handleScale(ctx);
    if (info.subresource === 'token' && options.tokens) return options.tokens.handle(ctx);
    switch (info.verb) {
      case 'get':
        return handleGet(ctx);
      case 'list':
        return handleList(ctx);
      case 'watch':
        return handleWatch(ctx);
      case 'create':
        return handleCreate(ctx);
      case 'update':
        return handleUpdate(ctx);
      case 'patch':
        return handlePatch(ctx);
      case 'delete':
        return handleDelete(ctx);
      case 'deletecollection':
        return handleDeleteCollection(ctx);
      default:
        throw errors.methodNotAllowed();
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if ((req.url ?? '').length > MAX_URL_LENGTH) throw errors.badRequest('request URL too long');
      const url = new URL(req.url ?? '/', 'http://kube-sim');
      const requester: UserInfo | undefined = authenticate(req.headers.authorization);
      if (!requester) throw errors.unauthorized();
      const user = impersonate(req.headers, requester, (a) => authorize(authorization, store, a));
      const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      if (!info.isResourceRequest) {
        const attrs = {
          user,
          verb: info.verb === 'head' ? 'get' : info.verb,
          isResourceRequest: false,
          path: info.path,
        };
        if (!authorize(authorization, store, attrs)) throw forbidden(attrs);
        return nonResource(req, res, url.pathname);
      }
      const resource = resolve(info);
      const attrs = {
        user,
        verb: info.verb,
        isResourceRequest: true,
        path: info.path,
        group: info.group,
        resource: info.resource,
        subresource: info.subresource,
        namespace: info.namespace,
        name: info.name,
      };
      if (!authorize(authorization, store, attrs)) throw forbidden(attrs);
      await route({ ...options, req, res, query: url.searchParams, info, resource, user });
    } catch (err) {
      sendError(res, err);
    }
  };
}
