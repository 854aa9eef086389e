// ResourceQuota admission: a CREATE in a namespace with quotas is refused with the real 403 when
// it would take usage past a quota's hard limit (`exceeded quota: ...`), or when a quota on cpu or
// memory meets a container that does not declare them (`failed quota: ...: must specify ...`).
// Usage is recomputed from live objects at each request, so it is never stale.
import { errors } from '../../api/status';
import { type AdmissionRequest, type KubeStore } from '../../store';
import { type KubeObject } from '../../types';
import { formatQuantity, parseResourceList, type ResourceList } from './quantity';
import { missingDeclarations } from './pod-resources';
import { namespaceUsage, objectUsage, quotaTracks, resourceName } from './usage';

const GENERATED_SUFFIX = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/**
 * The name a refusal names. The real server admits before it generates a name, so a pod created
 * with generateName is refused as `pods "web-7d9f8b6c5-"`; kube-sim generates first, so undo it.
 */
export function admissionName(request: AdmissionRequest): string {
  const meta = request.object?.metadata;
  const generateName = meta?.generateName;
  if (generateName && request.name.startsWith(generateName)) {
    if (GENERATED_SUFFIX.test(request.name.slice(generateName.length))) return generateName;
  }
  return request.name;
}

/** `limits.memory=512Mi,requests.cpu=1`, keys sorted, as the real prettyPrint. */
function prettyPrint(list: ResourceList, keys: string[]): string {
  return [...keys]
    .sort()
    .map((k) => `${k}=${list.has(k) ? formatQuantity(list.get(k)!) : '0'}`)
    .join(',');
}

export function checkQuotas(store: KubeStore, request: AdmissionRequest): void {
  const { namespace, object, resource } = request;
  if (!namespace || !object || request.subresource) return;
  const quotas = store.list('resourcequotas', { namespace }).items;
  if (!quotas.length) return;
  const usage = objectUsage(resource, object);
  const forbidden = (why: string) =>
    errors.forbidden(
      `${resourceName(resource)} "${admissionName(request)}" is forbidden: ${why}`,
      resource,
      admissionName(request),
    );
  const relevant: { quota: KubeObject; hard: ResourceList; requested: string[] }[] = [];
  for (const quota of quotas) {
    if (!quotaTracks(quota, resource, object)) continue;
    const hard = parseResourceList((quota as { spec?: { hard?: unknown } }).spec?.hard);
    if (resourceName(resource) === 'pods') {
      const missing = missingDeclarations(object, [...hard.keys()]);
      if (missing) throw forbidden(`failed quota: ${quota.metadata.name}: must specify ${missing}`);
    }
    const requested = [...hard.keys()].filter((k) => usage.has(k));
    if (!requested.length) continue;
    relevant.push({ quota, hard, requested });
  }
  for (const { quota, hard, requested } of relevant) {
    const used = namespaceUsage(store, namespace, quota, requested);
    const exceeded = requested.filter((k) => {
      const after = (used.get(k)?.nanos ?? 0n) + usage.get(k)!.nanos;
      return after > hard.get(k)!.nanos;
    });
    if (!exceeded.length) continue;
    throw forbidden(
      `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(usage, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`,
    );
  }
}
