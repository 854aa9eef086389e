// quota_explain: ResourceQuota and LimitRange arithmetic for a namespace: per quota, what is used of
// what is allowed; the admission refusals (FailedCreate events) with what the refused pod asked and
// which resource tipped it over; and the LimitRange bounds pods must fit.
import {
  describeQuotaLine,
  formatQuantity,
  type KubeEvent,
  type LimitRange,
  parseLimitRangeRefusal,
  parseQuotaRefusal,
  quotaArithmetic,
  type ResourceQuota,
} from '@foxhound/diagnostics';
import { z } from 'zod';
import { defineTool, noData, ok } from '../define';
import { byEventTime, eventTimestamp, age } from '../format';
import { namespaceParam } from './params';

const MAX_REFUSALS = 10;

export const quotaExplain = defineTool({
  name: 'quota_explain',
  description:
    'Explain ResourceQuota and LimitRange arithmetic in a namespace: used vs hard per resource, and each recent admission refusal (FailedCreate) with what the pod asked, what was used and what the limit is. Use when a ReplicaSet or Job cannot create pods.',
  params: z.object({ namespace: namespaceParam }),
  summary: (p) => `Working out quota and limit arithmetic in ${p.namespace}`,
  run: async (p, ctx) => {
    const [quotas, ranges, events] = await Promise.all([
      ctx.cluster.list('resourceQuotas', { namespace: p.namespace }) as Promise<ResourceQuota[]>,
      ctx.cluster.list('limitRanges', { namespace: p.namespace }) as Promise<LimitRange[]>,
      ctx.cluster.list('events', { namespace: p.namespace, fieldSelector: 'reason=FailedCreate' }) as Promise<
        KubeEvent[]
      >,
    ]);
    if (quotas.length === 0 && ranges.length === 0) {
      return noData(
        `No ResourceQuota or LimitRange in ${p.namespace}: admission limits do not apply here.`,
        `No quota or LimitRange in ${p.namespace}`,
      );
    }
    const now = ctx.now();
    const lines: string[] = [];
    for (const q of quotas) {
      const usage = quotaArithmetic(q, undefined);
      lines.push(`ResourceQuota ${p.namespace}/${q.metadata.name}:`);
      for (const l of usage) {
        const pct = l.hard > 0 ? Math.round((l.used / l.hard) * 100) : 0;
        lines.push(
          `  ${l.resource}: ${formatQuantity(l.resource, l.used)} of ${formatQuantity(l.resource, l.hard)} used (${pct}%)${l.used >= l.hard ? ' FULL' : ''}`,
        );
      }
    }
    for (const r of ranges) {
      lines.push(`LimitRange ${p.namespace}/${r.metadata.name}:`);
      for (const item of r.spec.limits) {
        const fmt = (name: string, list: Record<string, string | number> | undefined) =>
          list
            ? `${name} ${Object.entries(list)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')}`
            : '';
        lines.push(
          `  ${item.type}: ${[fmt('max', item.max), fmt('min', item.min), fmt('default', item.default), fmt('defaultRequest', item.defaultRequest)].filter(Boolean).join('; ')}`,
        );
      }
    }
    const refusals = events.filter((e) => e.reason === 'FailedCreate').sort(byEventTime);
    let quotaRefusals = 0;
    if (refusals.length) lines.push(`Admission refusals (${refusals.length}, newest first):`);
    for (const e of refusals.slice(0, MAX_REFUSALS)) {
      const message = e.message ?? '';
      const quota = parseQuotaRefusal(message);
      const limit = quota ? undefined : parseLimitRangeRefusal(message);
      const who = `${e.involvedObject.kind}/${e.involvedObject.name}, ${age(eventTimestamp(e), now)} ago${e.count && e.count > 1 ? `, x${e.count}` : ''}`;
      if (quota) {
        quotaRefusals += 1;
        const detail = quota.lines.length
          ? quota.lines.map(describeQuotaLine).join('; ')
          : `must specify ${quota.mustSpecify.join(', ')}`;
        lines.push(`  ${who}: refused by quota ${quota.quota}: ${detail}`);
      } else if (limit) {
        lines.push(`  ${who}: refused by LimitRange: ${limit.violations.join('; ')}`);
      } else {
        lines.push(`  ${who}: ${message.slice(0, 300)}`);
      }
    }
    const full = quotas.flatMap((q) =>
      quotaArithmetic(q, undefined)
        .filter((l) => l.hard > 0 && l.used >= l.hard)
        .map((l) => `${q.metadata.name} ${l.resource}`),
    );
    const summary = `${quotas.length} quota(s), ${ranges.length} LimitRange(s) in ${p.namespace}${full.length ? `; full: ${full.join(', ')}` : ''}${quotaRefusals ? `; ${quotaRefusals} quota refusals` : ''}`;
    return ok(lines.join('\n'), summary, { quotas, ranges, refusals });
  },
});
