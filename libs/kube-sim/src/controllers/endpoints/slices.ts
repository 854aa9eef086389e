// The EndpointSlices the EndpointSlice controller keeps for a Service with a selector
// (kubernetes pkg/controller/endpointslice, staging/src/k8s.io/endpointslice utils.go
// podToEndpoint): one endpoint per backend with `conditions` ready / serving / terminating,
// `nodeName`, `targetRef` and the node's `topology.kubernetes.io/zone`; endpoints grouped by
// the ports they resolve, at most 100 per slice (the controller's default
// --max-endpoints-per-slice); a service with no backend keeps one placeholder slice with
// `endpoints: null` and `ports: null`. Labels `kubernetes.io/service-name` and
// `endpointslice.kubernetes.io/managed-by`, the Service as controller owner. Pure.
import { type KubeObject, type StoredObject } from '../../types';
import { controllerRef } from '../owners';
import { backends, inheritedLabels, podRef, type Backend } from './backends';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** What a slice holds, without its name: compared against the existing slices to update in place. */
export interface SliceContent {
  ports: Json[] | null;
  endpoints: Json[] | null;
}

function endpoint(service: KubeObject, b: Backend, zoneOf: (node: string) => string | undefined): Json {
  const publishNotReady = (service as Json).spec?.publishNotReadyAddresses === true;
  // "ready" is never true for a terminating pod unless publishNotReadyAddresses is set.
  const ready = publishNotReady || (b.ready && !b.terminating);
  const zone = b.nodeName ? zoneOf(b.nodeName) : undefined;
  return {
    addresses: [b.ip],
    conditions: { ready, serving: b.ready, terminating: b.terminating },
    ...(b.hostname ? { hostname: b.hostname } : {}),
    ...(b.nodeName ? { nodeName: b.nodeName } : {}),
    targetRef: podRef(b.pod),
    ...(zone ? { zone } : {}),
  };
}

/** The slices' contents for the service: port groups split into chunks of 100 endpoints. */
export function sliceContents(
  service: KubeObject,
  pods: KubeObject[],
  zoneOf: (node: string) => string | undefined,
): SliceContent[] {
  const groups = new Map<string, { ports: Json[]; endpoints: Json[] }>();
  for (const b of backends(service, pods, true)) {
    const ports = b.ports.map((p) => ({
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
      name: p.name,
      port: p.port,
      protocol: p.protocol,
    }));
    const key = JSON.stringify(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(endpoint(service, b, zoneOf));
  }
  const out: SliceContent[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      out.push({
        ports: g.ports.length ? g.ports : null,
        endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE),
      });
    }
  }
  return out.length ? out : [{ ports: null, endpoints: null }];
}

/** A new slice (the store generates `<service>-xxxxx`) or an existing one given new content. */
export function sliceObject(service: StoredObject, content: SliceContent, changedAt: string): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${service.metadata.name}-`,
      namespace: service.metadata.namespace,
      labels: {
        ...inheritedLabels(service),
        [MANAGED_BY_LABEL]: MANAGED_BY,
        [SERVICE_NAME_LABEL]: service.metadata.name,
      },
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': changedAt },
      ownerReferences: [controllerRef(service)],
    },
    addressType: 'IPv4',
    endpoints: content.endpoints,
    ports: content.ports,
  } as KubeObject;
}
