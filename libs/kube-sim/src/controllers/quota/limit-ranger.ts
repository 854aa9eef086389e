// LimitRanger admission (mutating, before quota): containers of a new pod that do not state a
// request or limit get the namespace LimitRange's `defaultRequest` / `default`, and the pod records
// what was set in the `kubernetes.io/limit-ranger` annotation, as the real plugin does. A pod's
// own limit stands in for a missing request first (pod defaulting), so the defaults fill only gaps.
import { type AdmissionRequest, type KubeStore } from '../../store';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ANNOTATION = 'kubernetes.io/limit-ranger';

/** A Container item's defaults after LimitRange defaulting: default ← max, defaultRequest ← default ← min. */
function containerDefaults(item: Json): { limits: Json; requests: Json } {
  const limits: Json = { ...(item.max ?? {}), ...(item.default ?? {}) };
  const requests: Json = { ...(item.min ?? {}), ...limits, ...(item.defaultRequest ?? {}) };
  return { limits, requests };
}

function fill(container: Json, defaults: { limits: Json; requests: Json }, kind: string): string[] {
  const resources: Json = (container.resources ??= {});
  const limits: Json = (resources.limits ??= {});
  const requests: Json = (resources.requests ??= {});
  for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
  const setLimits = Object.keys(defaults.limits).filter((k) => limits[k] === undefined);
  const setRequests = Object.keys(defaults.requests).filter((k) => requests[k] === undefined);
  for (const k of setLimits) limits[k] = defaults.limits[k];
  for (const k of setRequests) requests[k] = defaults.requests[k];
  if (!Object.keys(limits).length) delete resources.limits;
  if (!Object.keys(requests).length) delete resources.requests;
  const notes: string[] = [];
  if (setRequests.length)
    notes.push(`${setRequests.sort().join(', ')} request for ${kind} ${container.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${kind} ${container.name}`);
  return notes;
}

export function applyLimitRanges(store: KubeStore, request: AdmissionRequest): void {
  const pod = request.object as Json | undefined;
  if (!pod || !request.namespace || request.subresource) return;
  const items = store
    .list('limitranges', { namespace: request.namespace })
    .items.flatMap((lr) => ((lr as Json).spec?.limits ?? []) as Json[])
    .filter((item) => item.type === 'Container');
  if (!items.length) return;
  const defaults = items
    .map(containerDefaults)
    .reduce(
      (acc, d) => ({ limits: { ...d.limits, ...acc.limits }, requests: { ...d.requests, ...acc.requests } }),
      { limits: {}, requests: {} },
    );
  const notes: string[] = [];
  for (const c of (pod.spec?.containers ?? []) as Json[]) notes.push(...fill(c, defaults, 'container'));
  for (const c of (pod.spec?.initContainers ?? []) as Json[])
    notes.push(...fill(c, defaults, 'init container'));
  if (notes.length) {
    pod.metadata.annotations = {
      ...(pod.metadata.annotations ?? {}),
      [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}`,
    };
  }
}
