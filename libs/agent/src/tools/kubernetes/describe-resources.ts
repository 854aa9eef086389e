// kubectl_describe views of everything that is not a workload: Services and their endpoints,
// Ingresses, NetworkPolicies (each rule spelled out), autoscalers, disruption budgets, claims and
// volumes, ConfigMaps (keys and sizes), quotas, nodes; any other kind shows its spec and status.
import {
  type Endpoints,
  type HorizontalPodAutoscaler,
  type Ingress,
  type IngressBackend,
  type KubeObject,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyRule,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type PodDisruptionBudget,
  type ResourceQuota,
  type Service,
} from '@foxhound/diagnostics';
import { type KindInfo } from '../../cluster/kinds';
import { type ClusterReader } from '../../cluster/reader';
import { selectorString } from '../../cluster/selectors';
import { hpaTargets } from './columns';
import { conditionLines, fieldLines, podLines } from './describe-parts';

const backend = (b: IngressBackend | undefined): string =>
  b?.service
    ? `${b.service.name}:${b.service.port?.number ?? b.service.port?.name ?? '?'}`
    : b?.resource
      ? `${b.resource.kind}/${b.resource.name}`
      : '<none>';

function peer(p: NetworkPolicyPeer): string {
  if (p.ipBlock)
    return `ipBlock ${p.ipBlock.cidr}${p.ipBlock.except?.length ? ` except ${p.ipBlock.except.join(',')}` : ''}`;
  const pods = p.podSelector ? `pods ${selectorString(p.podSelector) || '(all)'}` : '';
  const nss = p.namespaceSelector ? `namespaces ${selectorString(p.namespaceSelector) || '(all)'}` : '';
  return [pods, nss].filter(Boolean).join(' in ') || '(all)';
}

function ruleLines(direction: 'Ingress' | 'Egress', policy: NetworkPolicy): string[] {
  const types = policy.spec.policyTypes ?? (policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  if (!types.includes(direction)) return [`${direction}: not isolated by this policy`];
  const rules: NetworkPolicyRule[] =
    (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? [];
  if (!rules.length) return [`${direction}: deny all (the policy selects these pods and allows nothing)`];
  return [
    `${direction} rules (any one admits):`,
    ...rules.map((rule, i) => {
      const peers = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
      const ports = (rule.ports ?? []).map(
        (p) => `${p.port ?? 'any'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`,
      );
      return `  ${i + 1}. ${direction === 'Ingress' ? 'from' : 'to'} ${peers.length ? peers.map(peer).join('; ') : 'anywhere'} on ${ports.join(', ') || 'any port'}`;
    }),
  ];
}

/** The view of a non-workload kind; kinds without a hand-written view show their spec and status. */
export async function describeResource(
  info: KindInfo,
  obj: KubeObject,
  cluster: ClusterReader,
): Promise<string[]> {
  switch (info.kind) {
    case 'services': {
      const s = obj as Service;
      const ep = await cluster.get('endpoints', s.metadata.name, s.metadata.namespace);
      const subsets =
        (ep as { subsets?: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] } | undefined)
          ?.subsets ?? [];
      const ready = subsets.reduce((n, x) => n + (x.addresses?.length ?? 0), 0);
      const notReady = subsets.reduce((n, x) => n + (x.notReadyAddresses?.length ?? 0), 0);
      return [
        `Type: ${s.spec.type ?? 'ClusterIP'}  ClusterIP: ${s.spec.clusterIP ?? ''}`,
        `Selector: ${
          Object.entries(s.spec.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',') || '<none>'
        }`,
        `Ports: ${(s.spec.ports ?? []).map((p) => `${p.name ? `${p.name} ` : ''}${p.port}→${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`).join(', ')}`,
        `Endpoints: ${ready} ready, ${notReady} not ready${ep ? '' : ' (no Endpoints object)'}`,
      ];
    }
    case 'nodes': {
      const n = obj as Node;
      const fmt = (l: Record<string, string | number> | undefined) =>
        Object.entries(l ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(', ');
      return [
        ...conditionLines(n.status?.conditions),
        `Taints: ${(n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || '<none>'}`,
        `Unschedulable: ${n.spec?.unschedulable ?? false}`,
        `Capacity: ${fmt(n.status?.capacity)}`,
        `Allocatable: ${fmt(n.status?.allocatable)}`,
      ];
    }
    case 'resourceQuotas': {
      const q = obj as ResourceQuota;
      const hard = q.status?.hard ?? q.spec?.hard ?? {};
      return [
        'Resource  Used  Hard',
        ...Object.entries(hard).map(([k, v]) => `  ${k}  ${q.status?.used?.[k] ?? 0}  ${v}`),
      ];
    }
    case 'endpoints': {
      const e = obj as Endpoints;
      const addr = (a: { ip: string; targetRef?: { name: string } }) =>
        `${a.ip}${a.targetRef ? ` (${a.targetRef.name})` : ''}`;
      return (e.subsets ?? []).flatMap((s, i) => [
        `Subset ${i + 1} ports: ${(s.ports ?? []).map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol ?? 'TCP'}`).join(', ') || '<none>'}`,
        `  Ready: ${(s.addresses ?? []).map(addr).join(', ') || '<none>'}`,
        `  Not ready: ${(s.notReadyAddresses ?? []).map(addr).join(', ') || '<none>'}`,
      ]);
    }
    case 'ingresses': {
      const i = obj as Ingress;
      return [
        `Class: ${i.spec.ingressClassName ?? '<none>'}`,
        `Default backend: ${backend(i.spec.defaultBackend)}`,
        'Rules:',
        ...(i.spec.rules ?? []).flatMap((r) =>
          (r.http?.paths ?? []).map((p) => `  ${r.host ?? '*'}${p.path ?? '/'} → ${backend(p.backend)}`),
        ),
        ...(i.spec.tls ?? []).map(
          (t) => `TLS: ${(t.hosts ?? []).join(',') || '*'} with Secret ${t.secretName ?? '<none>'}`,
        ),
      ];
    }
    case 'networkPolicies': {
      const p = obj as NetworkPolicy;
      return [
        `Pod selector: ${selectorString(p.spec.podSelector) || '<all pods in the namespace>'}`,
        `Policy types: ${(p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'])).join(', ')}`,
        ...ruleLines('Ingress', p),
        ...ruleLines('Egress', p),
        ...(await podLines(cluster, p.metadata.namespace, p.spec.podSelector)),
      ];
    }
    case 'horizontalPodAutoscalers': {
      const h = obj as HorizontalPodAutoscaler;
      return [
        `Reference: ${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`,
        `Metrics (current/target): ${hpaTargets(h)}`,
        `Replicas: min ${h.spec.minReplicas ?? 1}, max ${h.spec.maxReplicas}, current ${h.status?.currentReplicas ?? 0}, desired ${h.status?.desiredReplicas ?? 0}`,
        ...conditionLines(h.status?.conditions),
      ];
    }
    case 'podDisruptionBudgets': {
      const p = obj as PodDisruptionBudget;
      const st = p.status ?? {};
      return [
        `Min available: ${p.spec.minAvailable ?? 'N/A'}  Max unavailable: ${p.spec.maxUnavailable ?? 'N/A'}`,
        `Selector: ${selectorString(p.spec.selector) || '<none>'}`,
        `Healthy: ${st.currentHealthy ?? 0} of ${st.expectedPods ?? 0} (${st.desiredHealthy ?? 0} needed); disruptions allowed: ${st.disruptionsAllowed ?? 0}`,
        ...conditionLines(st.conditions),
      ];
    }
    case 'persistentVolumeClaims': {
      const c = obj as PersistentVolumeClaim;
      return [
        `Status: ${c.status?.phase ?? '?'}  Volume: ${c.spec.volumeName ?? '<none>'}`,
        `StorageClass: ${c.spec.storageClassName ?? '<default>'}  Access modes: ${(c.spec.accessModes ?? []).join(',') || '<none>'}`,
        `Requested: ${c.spec.resources?.requests?.['storage'] ?? '?'}  Capacity: ${c.status?.capacity?.['storage'] ?? '<none>'}`,
      ];
    }
    case 'persistentVolumes': {
      const v = obj as PersistentVolume;
      return [
        `Status: ${v.status?.phase ?? '?'}${v.status?.reason ? ` (${v.status.reason})` : ''}${v.status?.message ? `: ${v.status.message}` : ''}`,
        `Claim: ${v.spec.claimRef ? `${v.spec.claimRef.namespace ?? ''}/${v.spec.claimRef.name}` : '<none>'}`,
        `StorageClass: ${v.spec.storageClassName ?? '<none>'}  Capacity: ${v.spec.capacity?.['storage'] ?? '?'}`,
      ];
    }
    case 'configMaps': {
      const data = (obj as { data?: Record<string, string>; binaryData?: Record<string, string> }).data ?? {};
      const binary = (obj as { binaryData?: Record<string, string> }).binaryData ?? {};
      return [
        'Data (keys and sizes; kubectl_get with a jsonpath such as {.data.KEY} reads a value):',
        ...Object.entries(data).map(([k, v]) => `  ${k}: ${Buffer.byteLength(v)} bytes`),
        ...Object.entries(binary).map(([k, v]) => `  ${k}: ${Math.floor((v.length * 3) / 4)} bytes (binary)`),
      ];
    }
    default:
      return fieldLines(obj);
  }
}
