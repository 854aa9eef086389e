// kubectl_events: events of a namespace (or of one object), newest first, Warnings alone if asked.
// The first read of any failure: the kubelet, scheduler and controllers say here why.
import { type KubeEvent } from '@foxhound/diagnostics';
import { z } from 'zod';
import { fieldSelector } from '../../cluster/fields';
import { resolveKind } from '../../cluster/kinds';
import { defineTool, noData, ok } from '../define';
import { byEventTime, eventLine, eventTimestamp, plural } from '../format';
import { kindParam, nameParam, namespaceParam } from './params';

const DEFAULT_LIMIT = 40;

export const kubectlEvents = defineTool({
  name: 'kubectl_events',
  description:
    'Events in a namespace, newest first: why pods fail to schedule, pull, start or pass probes, and why controllers fail to create pods. Filter by object (kind and name), type Warning, reason, or recency. Read events before logs.',
  params: z.object({
    namespace: namespaceParam.optional().describe('Omit for every namespace in scope.'),
    kind: kindParam.optional(),
    name: nameParam.optional().describe('Only events about this object (with kind, to be exact).'),
    type: z.enum(['Warning', 'Normal']).optional(),
    reason: z
      .string()
      .regex(/^[A-Za-z]{1,64}$/)
      .optional()
      .describe('e.g. BackOff, FailedCreate, FailedScheduling, Unhealthy.'),
    sinceMinutes: z.number().int().min(1).max(10_080).optional(),
    limit: z.number().int().min(1).max(300).optional().describe(`Default ${DEFAULT_LIMIT}.`),
  }),
  summary: (p) =>
    `Reading ${p.type ? `${p.type} ` : ''}events${p.name ? ` of ${p.kind ? `${resolveKind(p.kind)!.apiKind}/` : ''}${p.name}` : ''}${p.namespace ? ` in ${p.namespace}` : ''}`,
  run: async (p, ctx) => {
    const namespaces = p.namespace ? [p.namespace] : ctx.turn.scope.length ? ctx.turn.scope : [undefined];
    const apiKind = p.kind ? resolveKind(p.kind)!.apiKind : undefined;
    const selector = fieldSelector({
      'involvedObject.kind': apiKind,
      'involvedObject.name': p.name,
      type: p.type,
      reason: p.reason,
    });
    const lists = await Promise.all(
      namespaces.map((namespace) => ctx.cluster.list('events', { namespace, fieldSelector: selector })),
    );
    const since = p.sinceMinutes ? ctx.now().getTime() - p.sinceMinutes * 60_000 : undefined;
    const events = (lists.flat() as KubeEvent[])
      .filter(
        (e) =>
          (!apiKind || e.involvedObject.kind === apiKind) &&
          (!p.name || e.involvedObject.name === p.name) &&
          (!p.type || e.type === p.type) &&
          (!p.reason || e.reason === p.reason) &&
          (since === undefined || (Date.parse(eventTimestamp(e) ?? '') || 0) >= since),
      )
      .sort(byEventTime);
    const where = p.namespace ?? (ctx.turn.scope.join(', ') || 'all namespaces');
    if (events.length === 0)
      return noData(`No matching events in ${where}.`, `No matching events in ${where}`, events);
    const limit = p.limit ?? DEFAULT_LIMIT;
    const now = ctx.now();
    const lines = events
      .slice(0, limit)
      .map((e) => `${namespaces.length > 1 ? `${e.metadata.namespace}  ` : ''}${eventLine(e, now)}`);
    if (events.length > limit) lines.push(`(${events.length - limit} older events not shown)`);
    const warnings = events.filter((e) => e.type === 'Warning');
    const reasons = [...new Set(warnings.map((e) => e.reason))].slice(0, 4).join(', ');
    return ok(
      lines.join('\n'),
      `${plural(events.length, 'event')} in ${where}, ${warnings.length} warnings${reasons ? ` (${reasons})` : ''}`,
      events,
    );
  },
});
