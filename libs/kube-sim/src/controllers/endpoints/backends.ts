// Which pods back a Service and on which ports, as both endpoint controllers decide it
// (kubernetes pkg/controller/endpoint/endpoints_controller.go and pkg/controller/endpointslice,
// through pkg/api/v1/pod FindPort and endpointutil.ShouldPodBeInEndpoints): pods the selector
// matches that have an IP and are not terminal; a named targetPort resolves against the pod's
// container ports of the same protocol, a pod lacking it is not a backend on that port. Pure.
import { fromStructured, matchesLabels } from '../../selectors/labels';
import { type KubeObject } from '../../types';
import { isPodReady } from '../workloads/objects';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One service port as it applies to one pod: the pod's own port number behind it. */
export interface BackendPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface Backend {
  pod: KubeObject;
  ip: string;
  nodeName?: string;
  /** `spec.hostname` when the pod's `spec.subdomain` names the Service (its DNS record). */
  hostname?: string;
  /** The Ready condition is True. */
  ready: boolean;
  /** Being deleted: kept out of Endpoints, marked terminating in EndpointSlices. */
  terminating: boolean;
  ports: BackendPort[];
}

/** The service's selector as requirements; undefined when it has none (endpoints are then the user's). */
export function serviceSelector(service: KubeObject) {
  const selector = (service as Json).spec?.selector as Record<string, string> | undefined;
  if (!selector || (service as Json).spec?.type === 'ExternalName') return undefined;
  return fromStructured({ matchLabels: selector });
}

/** Whether `labels` fall under the service's selector (an empty selector selects nothing). */
export function selects(service: KubeObject, labels: Record<string, string> | undefined): boolean {
  const selector = serviceSelector(service);
  return selector !== undefined && selector.length > 0 && matchesLabels(selector, labels);
}

/** FindPort: a number is used as is, a name is looked up among the containers' ports (sidecars too). */
export function findPort(pod: KubeObject, servicePort: Json): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  const spec: Json = (pod as Json).spec ?? {};
  const containers: Json[] = [
    ...(spec.containers ?? []),
    ...((spec.initContainers ?? []) as Json[]).filter((c) => c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of (c.ports ?? []) as Json[]) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return Number(p.containerPort);
    }
  }
  return undefined;
}

/** ShouldPodBeInEndpoints: an address, not Succeeded/Failed; terminating ones only when asked for. */
function eligible(pod: Json, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

/** The service's backends among `pods`, sorted by IP then name, each with the ports it resolves. */
export function backends(service: KubeObject, pods: KubeObject[], includeTerminating: boolean): Backend[] {
  const spec: Json = (service as Json).spec ?? {};
  const out: Backend[] = [];
  for (const pod of pods) {
    const p = pod as Json;
    if (!selects(service, pod.metadata.labels) || !eligible(p, includeTerminating)) continue;
    const ports: BackendPort[] = [];
    for (const sp of (spec.ports ?? []) as Json[]) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({
        name: sp.name ?? '',
        port,
        protocol: sp.protocol ?? 'TCP',
        ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
      });
    }
    const hostname =
      p.spec?.hostname && p.spec?.subdomain === service.metadata.name ? String(p.spec.hostname) : undefined;
    out.push({
      pod,
      ip: String(p.status.podIP),
      nodeName: p.spec?.nodeName,
      hostname,
      ready: isPodReady(pod),
      terminating: Boolean(pod.metadata.deletionTimestamp),
      ports,
    });
  }
  return out.sort(
    (a, b) => compareIPs(a.ip, b.ip) || ((a.pod.metadata.name ?? '') < (b.pod.metadata.name ?? '') ? -1 : 1),
  );
}

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `{kind: Pod, namespace, name, uid}`, the targetRef both controllers write. */
export function podRef(pod: KubeObject): Json {
  return {
    kind: 'Pod',
    name: pod.metadata.name,
    namespace: pod.metadata.namespace,
    uid: pod.metadata.uid,
  };
}

/** Service labels copied onto what the controllers write, plus the headless marker. */
export function inheritedLabels(service: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
  if ((service as Json).spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}
