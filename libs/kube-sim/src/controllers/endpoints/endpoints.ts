// The Endpoints object the endpoints controller writes for a Service with a selector
// (kubernetes pkg/controller/endpoint/endpoints_controller.go syncService): ready backends under
// `addresses`, the rest under `notReadyAddresses` (all under `addresses` with
// publishNotReadyAddresses), terminating pods left out, grouped into subsets by the port numbers
// they resolve to (endpoints.RepackSubsets). No backend → no subsets (`kubectl get ep` prints
// <none>). Pure.
import { type KubeObject } from '../../types';
import { backends, inheritedLabels, podRef, type Backend } from './backends';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function address(b: Backend): Json {
  return {
    ...(b.hostname ? { hostname: b.hostname } : {}),
    ip: b.ip,
    ...(b.nodeName ? { nodeName: b.nodeName } : {}),
    targetRef: podRef(b.pod),
  };
}

/** `subsets` for the service from the namespace's pods; empty when nothing backs it. */
export function endpointSubsets(service: KubeObject, pods: KubeObject[]): Json[] {
  const spec: Json = (service as Json).spec ?? {};
  const hasPorts = ((spec.ports ?? []) as Json[]).length > 0;
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: Json[]; addresses: Json[]; notReadyAddresses: Json[] }>();
  for (const b of backends(service, pods, false)) {
    // A pod that resolves none of the service's ports is no backend at all (FindPort fails for each).
    if (hasPorts && !b.ports.length) continue;
    const ports = b.ports.map((p) => ({
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
      ...(p.name ? { name: p.name } : {}),
      port: p.port,
      protocol: p.protocol,
    }));
    const key = JSON.stringify(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, addresses: [], notReadyAddresses: [] }));
    (b.ready || publishNotReady ? group.addresses : group.notReadyAddresses).push(address(b));
  }
  return [...groups.values()].map((g) => ({
    ...(g.addresses.length ? { addresses: g.addresses } : {}),
    ...(g.notReadyAddresses.length ? { notReadyAddresses: g.notReadyAddresses } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  }));
}

/** The whole Endpoints object (name and namespace of the service), without server-set metadata. */
export function endpointsFor(service: KubeObject, pods: KubeObject[], changedAt: string): KubeObject {
  const subsets = endpointSubsets(service, pods);
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      labels: inheritedLabels(service),
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': changedAt },
    },
    ...(subsets.length ? { subsets } : {}),
  };
}
