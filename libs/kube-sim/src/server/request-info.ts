// Turns a request path into what the API server authorizes and routes on: resource requests
// (group, version, resource, namespace, name, subresource, verb) or non-resource paths. Mirrors
// apiserver's RequestInfoFactory, including `/namespaces/<ns>` being the namespace object itself
// and the legacy `/watch/` prefix.
export interface ResourceRequestInfo {
  isResourceRequest: true;
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path: string;
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  verb: string;
  path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const MAX_SEGMENT = 253;

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const lower = method.toLowerCase();
  const parts = path.split('/').filter((p) => p !== '');
  const nonResource: NonResourceRequestInfo = { isResourceRequest: false, verb: lower, path };
  let rest: string[];
  let group = '';
  let version: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return nonResource;
  }
  if (rest.length === 0 || rest.some((p) => p.length > MAX_SEGMENT)) return nonResource;
  let watch = false;
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length > 0 || resource === undefined) return nonResource;
  const isWatch = watch || query.get('watch') === 'true' || query.get('watch') === '1';
  let verb: string;
  switch (lower) {
    case 'get':
    case 'head':
      verb = name === undefined ? (isWatch ? 'watch' : 'list') : isWatch ? 'watch' : 'get';
      break;
    case 'post':
      verb = 'create';
      break;
    case 'put':
      verb = 'update';
      break;
    case 'patch':
      verb = 'patch';
      break;
    case 'delete':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = lower;
  }
  return { isResourceRequest: true, verb, group, version, resource, subresource, namespace, name, path };
}
