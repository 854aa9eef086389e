// get_endpoints: why a Service does or does not route: its selector and ports, the ready and
// not-ready endpoint addresses with their pods, the pods the selector matches, and whether the
// targetPort is a port those pods declare.
import { type Endpoints, type Pod, type Service } from '@foxhound/diagnostics';
import { z } from 'zod';
import { selectorString } from '../../cluster/selectors';
import { defineTool, noData, ok } from '../define';
import { podReady, podStatus } from '../format';
import { nameParam, namespaceParam } from './params';

export const getEndpoints = defineTool({
  name: 'get_endpoints',
  description:
    'Check a Service end to end: selector, ports, ready and not-ready endpoints, the pods its selector matches, and whether its targetPort exists on those pods. Use for 503s, "no healthy upstream" and connection refused to a Service.',
  params: z.object({
    namespace: namespaceParam,
    service: nameParam.describe('The Service name (kubectl_get kind=Service).'),
  }),
  summary: (p) => `Checking endpoints of Service ${p.namespace}/${p.service}`,
  run: async (p, ctx) => {
    const service = (await ctx.cluster.get('services', p.service, p.namespace)) as Service | undefined;
    if (!service)
      return noData(
        `Service ${p.namespace}/${p.service} not found.`,
        `Service ${p.namespace}/${p.service} not found`,
      );
    const endpoints = (await ctx.cluster.get('endpoints', p.service, p.namespace)) as Endpoints | undefined;
    const selector = selectorString(service.spec.selector);
    const pods = selector
      ? ((await ctx.cluster.list('pods', { namespace: p.namespace, labelSelector: selector })) as Pod[])
      : [];
    const ready = (endpoints?.subsets ?? []).flatMap((s) => s.addresses ?? []);
    const notReady = (endpoints?.subsets ?? []).flatMap((s) => s.notReadyAddresses ?? []);
    const lines = [
      `Service ${p.namespace}/${p.service} (${service.spec.type ?? 'ClusterIP'})`,
      `Selector: ${selector || '<none: endpoints are managed by hand>'}`,
      `Ports: ${(service.spec.ports ?? []).map((port) => `${port.name ? `${port.name} ` : ''}${port.port}→${port.targetPort ?? port.port}`).join(', ') || '<none>'}`,
      `Ready endpoints (${ready.length}): ${ready.map((a) => `${a.ip}${a.targetRef ? ` (${a.targetRef.name})` : ''}`).join(', ') || '<none>'}`,
      `Not ready (${notReady.length}): ${notReady.map((a) => `${a.ip}${a.targetRef ? ` (${a.targetRef.name})` : ''}`).join(', ') || '<none>'}`,
      `Pods matching the selector (${pods.length}): ${pods.map((pod) => `${pod.metadata.name} ${podStatus(pod)} ${podReady(pod)}`).join(', ') || '<none>'}`,
    ];
    const problems: string[] = [];
    if (selector && pods.length === 0)
      problems.push(`the selector ${selector} matches no pod in ${p.namespace}`);
    if (pods.length > 0 && ready.length === 0) problems.push('pods match but none is ready');
    for (const port of service.spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const declared = pods.some((pod) =>
        pod.spec.containers.some((c) =>
          (c.ports ?? []).some((cp) =>
            typeof target === 'number' ? cp.containerPort === target : cp.name === target,
          ),
        ),
      );
      if (pods.length > 0 && typeof target === 'string' && !declared)
        problems.push(`targetPort "${target}" is not a named port of the selected pods`);
      if (
        pods.length > 0 &&
        typeof target === 'number' &&
        !declared &&
        pods.some((pod) => pod.spec.containers.some((c) => c.ports?.length))
      ) {
        problems.push(`targetPort ${target} is not among the ports the selected pods declare`);
      }
    }
    lines.push(problems.length ? `Problems: ${problems.join('; ')}.` : 'No routing problem seen.');
    const summary = `Service ${p.namespace}/${p.service}: ${ready.length} ready, ${notReady.length} not ready endpoints${problems.length ? `; ${problems[0]}` : ''}`;
    return ok(lines.join('\n'), summary, { service, endpoints, pods, problems });
  },
});
