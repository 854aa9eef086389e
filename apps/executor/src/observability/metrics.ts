// The executor's Prometheus metrics, on the service registry. Labels come from fixed sets (provider,
// result subtype, tool name, tool status, event type, token kind); never thread ids or text.
import { type Usage } from '@foxhound/contracts';
import { createServiceMetrics, type ServiceMetrics } from '@foxhound/service-kit';
import { Counter, Gauge, Histogram } from 'prom-client';

export interface ExecutorMetrics extends ServiceMetrics {
  turns: Counter<'provider' | 'subtype'>;
  turnDuration: Histogram<'provider'>;
  runningTurns: Gauge;
  threads: Gauge;
  toolCalls: Counter<'tool' | 'status'>;
  toolDuration: Histogram<'tool'>;
  events: Counter<'type'>;
  tokens: Counter<'provider' | 'kind'>;
  costUsd: Counter<'provider'>;
  recordUsage(provider: string, usage: Usage): void;
}

export function createExecutorMetrics(): ExecutorMetrics {
  const base = createServiceMetrics('executor');
  const { registry, prefix } = base;
  const tokens = new Counter({
    name: `${prefix}model_tokens_total`,
    help: 'Model tokens by provider and kind (input, output, cache_read, cache_write).',
    labelNames: ['provider', 'kind'] as const,
    registers: [registry],
  });
  const costUsd = new Counter({
    name: `${prefix}model_cost_usd_total`,
    help: 'Model cost in US dollars at list prices.',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  return {
    ...base,
    turns: new Counter({
      name: `${prefix}turns_total`,
      help: 'Finished turns by provider and result subtype.',
      labelNames: ['provider', 'subtype'] as const,
      registers: [registry],
    }),
    turnDuration: new Histogram({
      name: `${prefix}turn_duration_seconds`,
      help: 'Wall-clock duration of a turn, request to result.',
      labelNames: ['provider'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    runningTurns: new Gauge({
      name: `${prefix}running_turns`,
      help: 'Turns running now.',
      registers: [registry],
    }),
    threads: new Gauge({
      name: `${prefix}threads`,
      help: 'Threads whose conversation this sandbox holds.',
      registers: [registry],
    }),
    toolCalls: new Counter({
      name: `${prefix}tool_calls_total`,
      help: 'Tool calls by tool and status (success, no_data, error, refused).',
      labelNames: ['tool', 'status'] as const,
      registers: [registry],
    }),
    toolDuration: new Histogram({
      name: `${prefix}tool_duration_seconds`,
      help: 'Tool call duration by tool.',
      labelNames: ['tool'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    events: new Counter({
      name: `${prefix}events_total`,
      help: 'Stream events sent, by type.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    tokens,
    costUsd,
    recordUsage(provider, usage) {
      tokens.inc({ provider, kind: 'input' }, usage.inputTokens);
      tokens.inc({ provider, kind: 'output' }, usage.outputTokens);
      tokens.inc({ provider, kind: 'cache_read' }, usage.cacheReadInputTokens);
      tokens.inc({ provider, kind: 'cache_write' }, usage.cacheCreationInputTokens);
      costUsd.inc({ provider }, usage.costUsd);
    },
  };
}
