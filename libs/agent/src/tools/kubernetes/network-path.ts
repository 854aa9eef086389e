// network_path: can a pod reach a Service (or an address) under the NetworkPolicies? Judges DNS
// egress to the cluster DNS, then each selected backend on each Service port with the target port
// resolved per pod, using diagnostics' evaluateTraffic (the sender's egress and the receiver's
// ingress, Kubernetes semantics), and names the policy that drops the flow.
import {
  createSnapshot,
  dnsEgress,
  endOfPod,
  evaluateTraffic,
  lookup,
  type NetworkPolicy,
  type Pod,
  type Service,
  type ServicePort,
  type TrafficVerdict,
} from '@foxhound/diagnostics';
import { z } from 'zod';
import { selectorString } from '../../cluster/selectors';
import { defineTool, failed, noData, ok } from '../define';
import { nameParam, namespaceParam } from './params';

const MAX_BACKENDS = 5;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
/** The namespace of an address outside the cluster: never in scope, so only egress is judged. */
const OUTSIDE = '<outside the cluster>';

function verdictText(v: TrafficVerdict): string {
  if (v.allowed) return 'allowed';
  const d = v.deniedBy!;
  const names = d.policies.map((p) => `${d.namespace}/${p.metadata.name}`).join(', ');
  return `DENIED on ${d.direction.toLowerCase()} of ${d.namespace}: isolated by ${names || 'a policy'}, and no rule of ${d.policies.length > 1 ? 'them' : 'it'} admits this flow`;
}

/** The port a backend pod receives a Service port on: a number, or a named container port. */
function targetPort(port: ServicePort, pod: Pod): number | undefined {
  const t = port.targetPort ?? port.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  return pod.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === t)?.containerPort;
}

export const networkPath = defineTool({
  name: 'network_path',
  description:
    "Check whether a pod can reach a Service (every selected backend, every port or the one given) or an IP address under the NetworkPolicies: DNS egress first, then the sender's egress and the receiver's ingress, naming the policy that drops the flow. Use it when a caller logs timeouts or refused connections to a dependency.",
  params: z.object({
    namespace: namespaceParam.describe('The namespace of the calling pod.'),
    from: nameParam.describe('The calling pod, or its workload name (the first running pod of it is used).'),
    to: z
      .string()
      .min(1)
      .max(253)
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?|(\d{1,3}\.){3}\d{1,3})$/, 'a Service name or an IPv4 address')
      .describe('The Service name (kubectl_get kind=Service), or an IPv4 address outside the cluster.'),
    toNamespace: namespaceParam.optional().describe("The Service's namespace (default: the caller's)."),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('One Service port (or the address port); default every Service port.'),
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional().describe('Default TCP.'),
  }),
  summary: (p) =>
    `Checking the network path from ${p.namespace}/${p.from} to ${p.toNamespace ? `${p.toNamespace}/` : ''}${p.to}${p.port ? `:${p.port}` : ''}`,
  outputBudget: 8_000,
  run: async (p, ctx) => {
    const toNs = p.toNamespace ?? p.namespace;
    const source =
      ((await ctx.cluster.get('pods', p.from, p.namespace)) as Pod | undefined) ??
      ((await ctx.cluster.list('pods', { namespace: p.namespace })) as Pod[])
        .filter((x) => x.metadata.name.startsWith(`${p.from}-`))
        .sort((a, b) => Number(b.status?.phase === 'Running') - Number(a.status?.phase === 'Running'))[0];
    if (!source)
      return noData(
        `No pod ${p.from} (or pod of a workload named ${p.from}) in ${p.namespace}. List them with kubectl_get kind=Pod namespace=${p.namespace}.`,
        `No pod ${p.namespace}/${p.from}`,
      );
    const external = IPV4.test(p.to);
    const service = external
      ? undefined
      : ((await ctx.cluster.get('services', p.to, toNs)) as Service | undefined);
    if (!external && !service) {
      const names = (await ctx.cluster.list('services', { namespace: toNs })).map((s) => s.metadata.name);
      return noData(
        `Service ${toNs}/${p.to} does not exist; Services in ${toNs}: ${names.join(', ') || '<none>'}.`,
        `Service ${toNs}/${p.to} not found`,
      );
    }
    if (service?.spec.type === 'ExternalName')
      return noData(
        `Service ${toNs}/${p.to} is an ExternalName for ${service.spec.externalName ?? '?'}: the traffic leaves the cluster. Give that address's IP as \`to\` (with \`port\`) to judge the caller's egress.`,
        `Service ${toNs}/${p.to} is an ExternalName`,
      );
    if (service && !Object.keys(service.spec.selector ?? {}).length)
      return noData(
        `Service ${toNs}/${p.to} has no selector: its endpoints are set by hand (kubectl_describe kind=Endpoints name=${p.to}). Give an endpoint IP as \`to\` (with \`port\`) to judge the path to it.`,
        `Service ${toNs}/${p.to} has no selector`,
      );
    const backends = service?.spec.selector
      ? ((await ctx.cluster.list('pods', {
          namespace: toNs,
          labelSelector: selectorString(service.spec.selector),
        })) as Pod[])
      : [];
    const namespaces = [...new Set([p.namespace, toNs, 'kube-system'])];
    const policies = (
      await Promise.all(
        [...new Set([p.namespace, toNs])].map((ns) => ctx.cluster.list('networkPolicies', { namespace: ns })),
      )
    ).flat() as NetworkPolicy[];
    const nsObjects = (await Promise.all(namespaces.map((ns) => ctx.cluster.get('namespaces', ns)))).filter(
      (n) => n !== undefined,
    );
    const l = lookup(
      createSnapshot({
        capturedAt: ctx.now().toISOString(),
        namespaces: [...new Set([p.namespace, toNs])],
        objects: { pods: [source, ...backends], networkPolicies: policies, namespaces: nsObjects },
      }),
    );
    const protocol = p.protocol ?? 'TCP';
    const from = endOfPod(source);
    const lines = [
      `From Pod ${p.namespace}/${source.metadata.name} (${selectorString(source.metadata.labels) || 'no labels'}), ${policies.filter((x) => x.metadata.namespace === p.namespace).length} NetworkPolicy(ies) in ${p.namespace}.`,
    ];
    const verdicts: TrafficVerdict[] = [];
    if (external) {
      if (!p.port) return failed('An address needs a port: give `port`.');
      const v = evaluateTraffic(l, from, { namespace: OUTSIDE, labels: {}, ip: p.to }, p.port, protocol);
      verdicts.push(v);
      lines.push(`To ${p.to}:${p.port}/${protocol} (outside the cluster): ${verdictText(v)}`);
    } else {
      const dns = dnsEgress(l, source);
      lines.push(`DNS (UDP 53 to the cluster DNS, needed to resolve ${p.to}): ${verdictText(dns)}`);
      if (!dns.allowed) verdicts.push(dns);
      const ports = (service!.spec.ports ?? []).filter((x) => p.port === undefined || x.port === p.port);
      if (!ports.length)
        return failed(
          `Service ${toNs}/${p.to} has no port ${p.port}; its ports: ${(service!.spec.ports ?? []).map((x) => x.port).join(', ') || '<none>'}.`,
        );
      lines.push(
        `To Service ${toNs}/${p.to} (selector ${selectorString(service!.spec.selector) || '<none>'}): ${backends.length} backend pod(s).`,
      );
      if (!backends.length)
        lines.push(
          'No pod matches the selector: nothing receives the traffic, whatever the policies say (get_endpoints explains).',
        );
      for (const backend of backends.slice(0, MAX_BACKENDS)) {
        for (const port of ports) {
          const target = targetPort(port, backend);
          const head = `  ${backend.metadata.name} ${backend.status?.podIP ?? '?'} port ${port.port}→${port.targetPort ?? port.port}`;
          if (target === undefined) {
            lines.push(`${head}: the pod declares no container port named ${String(port.targetPort)}`);
            continue;
          }
          const v = evaluateTraffic(l, from, endOfPod(backend), target, port.protocol ?? protocol);
          verdicts.push(v);
          lines.push(`${head}/${port.protocol ?? protocol}: ${verdictText(v)}`);
        }
      }
      if (backends.length > MAX_BACKENDS)
        lines.push(
          `  … ${backends.length - MAX_BACKENDS} more backends, judged alike only if labelled alike`,
        );
    }
    const denied = verdicts.filter((v) => !v.allowed);
    const blockers = [
      ...new Set(
        denied.flatMap((v) =>
          v.deniedBy!.policies.map(
            (x) => `${v.deniedBy!.namespace}/${x.metadata.name} (${v.deniedBy!.direction})`,
          ),
        ),
      ),
    ];
    const target = `${external ? p.to : `${toNs}/${p.to}`}`;
    const verdict = !verdicts.length
      ? `Nothing to judge: no backend receives the traffic.`
      : denied.length
        ? `Verdict: blocked by NetworkPolicy ${blockers.join(', ') || '(isolation without a named policy)'}.`
        : 'Verdict: the NetworkPolicies allow this path.';
    lines.push(verdict);
    const summary = denied.length
      ? `${p.namespace}/${source.metadata.name} → ${target} blocked by ${blockers.join(', ')}`
      : `${p.namespace}/${source.metadata.name} → ${target} ${verdicts.length ? 'allowed' : 'has no backend'}`;
    return ok(lines.join('\n'), summary, { allowed: verdicts.length > 0 && denied.length === 0, blockers });
  },
});
