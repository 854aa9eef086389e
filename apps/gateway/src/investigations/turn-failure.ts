// Why a turn ended without the executor's own `result`, which hop failed, and what that means for
// the sandbox. Every way out of the relay is one of these typed reasons; nothing branches on message
// text. A failed hop that is not the executor (the router, the store, the gateway itself) keeps the
// sandbox: only a sandbox that is lost or unanswering is released so the next turn starts fresh.
import { StreamIdleError } from '@foxhound/service-kit';
import { StoreUnavailableError } from '@foxhound/store';
import { OutboxFullError } from '../durability/outbox';

/** Why the gateway aborted a turn itself: carried as the AbortSignal's reason. */
export type AbortReason = { kind: 'turn_timeout' } | { kind: 'interrupt_unanswered' } | { kind: 'shutdown' };

export class RelayAbort extends Error {
  override readonly name = 'RelayAbort';
  constructor(readonly reason: AbortReason) {
    super(`turn aborted: ${reason.kind}`);
  }
}

export type Hop = 'router' | 'executor' | 'store' | 'gateway';

/** Failures seen on a hop before or while streaming. */
export class HopError extends Error {
  override readonly name = 'HopError';
  constructor(
    readonly hop: Hop,
    readonly code: TurnFailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type TurnFailureCode =
  | 'turn_timeout'
  | 'interrupted'
  | 'gateway_shutdown'
  | 'thread_busy'
  | 'router_unavailable'
  | 'router_refused'
  | 'executor_unreachable'
  | 'executor_refused'
  | 'executor_silent'
  | 'sandbox_lost'
  | 'store_unavailable';

export interface TurnFailure {
  code: TurnFailureCode;
  hop: Hop;
  status: 'failed' | 'interrupted';
  /** What the client reads in the `error` event. */
  message: string;
  /** False when the sandbox is lost or wedged: it is released so the thread's next turn starts fresh. */
  keepSandbox: boolean;
}

const RETRY = 'Ask again on this thread to continue.';

export function classifyFailure(err: unknown, signal: AbortSignal, turnTimeoutMs: number): TurnFailure {
  const abort = signal.reason instanceof RelayAbort ? signal.reason.reason : undefined;
  if (abort?.kind === 'turn_timeout') {
    return {
      code: 'turn_timeout',
      hop: 'gateway',
      status: 'failed',
      message: `The investigation ran longer than ${turnTimeoutMs / 1000} s and was stopped.`,
      keepSandbox: true,
    };
  }
  if (abort?.kind === 'interrupt_unanswered') {
    return {
      code: 'interrupted',
      hop: 'executor',
      status: 'interrupted',
      message: `The executor did not answer the interrupt, so the turn was cut off and its sandbox released. ${RETRY}`,
      keepSandbox: false,
    };
  }
  if (abort?.kind === 'shutdown') {
    return {
      code: 'gateway_shutdown',
      hop: 'gateway',
      status: 'interrupted',
      message: `The gateway shut down before the investigation finished. ${RETRY}`,
      keepSandbox: true,
    };
  }
  if (err instanceof HopError) {
    return {
      code: err.code,
      hop: err.hop,
      status: 'failed',
      message: `${err.message} ${err.code === 'thread_busy' ? 'Wait for it to finish, or interrupt it.' : RETRY}`,
      // A busy thread is the executor answering correctly: its sandbox is fine.
      keepSandbox: err.hop !== 'executor' || err.code === 'thread_busy',
    };
  }
  if (err instanceof OutboxFullError || err instanceof StoreUnavailableError) {
    return {
      code: 'store_unavailable',
      hop: 'store',
      status: 'failed',
      message: `The store stayed unavailable longer than the gateway can buffer this turn (${err.message}). ${RETRY}`,
      keepSandbox: true,
    };
  }
  if (err instanceof StreamIdleError) {
    return {
      code: 'executor_silent',
      hop: 'executor',
      status: 'failed',
      message: `The executor went silent before the investigation finished (${err.message}). ${RETRY}`,
      keepSandbox: false,
    };
  }
  return {
    code: 'sandbox_lost',
    hop: 'executor',
    status: 'failed',
    message: `The sandbox stopped responding before the investigation finished (${describe(err)}). ${RETRY}`,
    keepSandbox: false,
  };
}

/** The router answered the turn with an error status: which hop that blames. */
export function refusalOf(status: number, body: string): HopError {
  const detail = body.slice(0, 500);
  if (status === 409)
    return new HopError(
      'executor',
      'thread_busy',
      `The thread already has a turn running in its sandbox: ${detail}`,
    );
  // 502/503/504 are the router's own answers when the executor behind it cannot be reached.
  if (status === 502 || status === 503 || status === 504)
    return new HopError(
      'executor',
      'executor_unreachable',
      `The router could not reach the executor (HTTP ${status}): ${detail}`,
    );
  // The router refused the request itself (its token, the sandbox headers).
  if (status === 401 || status === 403)
    return new HopError(
      'router',
      'router_refused',
      `The sandbox-router refused the turn (HTTP ${status}): ${detail}`,
    );
  return new HopError(
    'executor',
    'executor_refused',
    `The executor refused the turn (HTTP ${status}): ${detail}`,
  );
}

export const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
