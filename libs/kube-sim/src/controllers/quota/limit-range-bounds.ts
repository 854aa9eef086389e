// LimitRanger's validation (kubernetes plugin/pkg/admission/limitranger/admission.go
// PodValidateLimitFunc, minConstraint, maxConstraint, limitRequestRatioConstraint), after its
// defaults are applied: each container against the `Container` items' min, max and
// maxLimitRequestRatio, the pod's totals against the `Pod` items' min and max. A pod out of bounds
// is refused with the plugin's 403, e.g. `pods "web-7d9f8b6c5-" is forbidden: maximum memory
// usage per Container is 1Gi, but limit is 2Gi` (several reasons in brackets).
import { errors } from '../../api/status';
import { type AdmissionRequest, type KubeStore } from '../../store';
import { admissionName } from './admission';
import { containerLimits, containerRequests, podLimits, podRequests } from './pod-resources';
import { formatQuantity, parseResourceList, type Quantity, type ResourceList } from './quantity';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = formatQuantity;

function minConstraint(type: string, name: string, min: Quantity, req: ResourceList, lim: ResourceList) {
  const r = req.get(name);
  const l = lim.get(name);
  if (!r) return `minimum ${name} usage per ${type} is ${text(min)}.  No request is specified`;
  if (r.nanos < min.nanos)
    return `minimum ${name} usage per ${type} is ${text(min)}, but request is ${text(r)}`;
  if (l && l.nanos < min.nanos)
    return `minimum ${name} usage per ${type} is ${text(min)}, but limit is ${text(l)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, max: Quantity, req: ResourceList, lim: ResourceList) {
  const r = req.get(name);
  const l = lim.get(name);
  if (!l) return `maximum ${name} usage per ${type} is ${text(max)}.  No limit is specified`;
  if (l.nanos > max.nanos)
    return `maximum ${name} usage per ${type} is ${text(max)}, but limit is ${text(l)}`;
  if (r && r.nanos > max.nanos)
    return `maximum ${name} usage per ${type} is ${text(max)}, but request is ${text(r)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, ratio: Quantity, req: ResourceList, lim: ResourceList) {
  const r = req.get(name);
  const l = lim.get(name);
  const head = `${name} max limit to request ratio per ${type} is ${text(ratio)}`;
  if (!r || r.nanos === 0n) return `${head}, but no request is specified or request is 0`;
  if (!l || l.nanos === 0n) return `${head}, but no limit is specified or limit is 0`;
  const observed = Number(l.nanos) / Number(r.nanos);
  // Go's %f: six decimals.
  return observed > Number(ratio.nanos) / 1e9
    ? `${head}, but provided ratio is ${observed.toFixed(6)}`
    : undefined;
}

function check(type: string, item: Json, req: ResourceList, lim: ResourceList): string[] {
  const out: (string | undefined)[] = [];
  const sorted = (list: unknown) => [...parseResourceList(list)].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [k, v] of sorted(item.min)) out.push(minConstraint(type, k, v, req, lim));
  for (const [k, v] of sorted(item.max)) out.push(maxConstraint(type, k, v, req, lim));
  for (const [k, v] of sorted(item.maxLimitRequestRatio)) out.push(ratioConstraint(type, k, v, req, lim));
  return out.filter((m): m is string => m !== undefined);
}

export function checkLimitRanges(store: KubeStore, request: AdmissionRequest): void {
  const pod = request.object as Json | undefined;
  if (!pod || !request.namespace || request.subresource) return;
  const items = store
    .list('limitranges', { namespace: request.namespace })
    .items.flatMap((lr) => ((lr as Json).spec?.limits ?? []) as Json[]);
  const reasons: string[] = [];
  for (const item of items) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as Json[]) {
        reasons.push(...check('Container', item, containerRequests(c), containerLimits(c)));
      }
    }
    if (item.type === 'Pod')
      reasons.push(...check('Pod', item, podRequests(pod as never), podLimits(pod as never)));
  }
  if (!reasons.length) return;
  const name = admissionName(request);
  const why = reasons.length === 1 ? reasons[0] : `[${reasons.join(', ')}]`;
  throw errors.forbidden(`pods "${name}" is forbidden: ${why}`, request.resource, name);
}
