// The gateway's domain metrics, on the service's registry beside the HTTP histogram and process
// metrics. Labels come from fixed sets only (outcome status, a turn-failure code, a denial reason, a
// decision, a write kind); never ids, principals or error text.
import { Counter, Gauge, type ServiceMetrics } from '@foxhound/service-kit';
import { type InvestigationOutcomeInput } from '../investigations/ports';
import { type TurnFailureCode } from '../investigations/turn-failure';

const FAILURE_CODES: ReadonlySet<string> = new Set<TurnFailureCode>([
  'turn_timeout',
  'interrupted',
  'gateway_shutdown',
  'thread_busy',
  'router_unavailable',
  'router_refused',
  'executor_unreachable',
  'executor_refused',
  'executor_silent',
  'sandbox_lost',
  'store_unavailable',
]);

export type StoreWrite = 'events' | 'outbox' | 'outcome';

export function createGatewayMetrics(base: ServiceMetrics, storeBacklog: () => number) {
  const registers = [base.registry];
  const p = base.prefix;
  const finished = new Counter({
    name: `${p}investigations_finished_total`,
    help: 'Investigations that ended, by status and, for those the gateway ended, the failure code.',
    labelNames: ['status', 'code'] as const,
    registers,
  });
  return {
    /** Counts an ended turn; an executor's own error codes are free text, so they count as `executor_error`. */
    finished(outcome: InvestigationOutcomeInput): void {
      const code = outcome.error?.code;
      finished.inc({
        status: outcome.status,
        code: code === undefined ? 'none' : FAILURE_CODES.has(code) ? code : 'executor_error',
      });
    },
    liveStreams: new Gauge({
      name: `${p}live_streams`,
      help: 'Client SSE streams open (live tails and replays).',
      registers,
    }),
    storeRetries: new Counter({
      name: `${p}store_retries_total`,
      help: 'Store writes retried because the store was unreachable, by kind of write.',
      labelNames: ['write'] as const,
      registers,
    }),
    storeBuffer: new Gauge({
      name: `${p}store_buffer_events`,
      help: 'Events of running turns waiting to be stored.',
      registers,
      collect() {
        this.set(storeBacklog());
      },
    }),
    deniedRequests: new Counter({
      name: `${p}denied_requests_total`,
      help: 'Requests refused before a caller was known, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    decisions: new Counter({
      name: `${p}action_decisions_total`,
      help: 'Human decisions on proposed actions that took effect.',
      labelNames: ['decision'] as const,
      registers,
    }),
    limitFallbacks: new Counter({
      name: `${p}shared_limit_fallbacks_total`,
      help: 'Rate-limit checks counted in this replica because the store that shares them was unreachable.',
      registers,
    }),
    swept: new Counter({
      name: `${p}investigations_swept_total`,
      help: 'Running investigations ended by the sweeper because nobody renewed their lease.',
      registers,
    }),
  };
}
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
