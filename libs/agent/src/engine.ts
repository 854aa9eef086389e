// Runs one turn: bounds it (prompt size, model turns, tokens, wall-clock), hands it to the provider,
// and ends the stream with exactly one `result` (success, interrupted, or the limit or model stop
// that ended it, with a report marked partial) or one `error` (the model API failed for good, a
// prompt over the limit, a bug). When the model API fails, the offline engine finishes the turn only
// if a fallback was configured, and then says so in the stream and in the report. A follow-up the
// model answered without a new report gets its answer as the result.
import { type InvestigationReport, NamespaceSchema, type StreamEvent, type Usage } from '@foxhound/contracts';
import { memoizeReader } from './cluster/memo';
import { type ClusterReader } from './cluster/reader';
import { type AgentEventSink, TurnEmitter } from './events/emitter';
import { LimitExceededError, TurnBudget, type TurnLimits } from './limits';
import { ModelStopError, type ModelProvider, ProviderError, type TurnRequest } from './providers/types';
import { assembleReport } from './report/assemble';
import { renderReport } from './report/markdown';
import { type SkillLibrary } from './skills/library';
import { type ToolContext, TurnState } from './tools/context';
import { type ToolRegistry } from './tools/registry';

/** Abort reason for a turn stopped by POST /interrupt or by its client going away. */
export class TurnInterrupted extends Error {
  override readonly name = 'TurnInterrupted';
}

export interface AgentLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EngineOptions {
  provider: ModelProvider;
  /**
   * Finishes the turn when `provider` fails for good (the offline provider), announced in the
   * stream and the report. Without one, a failed model turn ends with an `error` event.
   */
  fallback?: ModelProvider;
  registry: ToolRegistry;
  cluster: ClusterReader;
  skills: SkillLibrary;
  limits: TurnLimits;
  /** Scope when a request names none (EXECUTOR_NAMESPACES). */
  defaultNamespaces?: string[];
  logger?: AgentLogger;
  now?: () => Date;
}

export type TurnSubtype =
  | 'success'
  | 'interrupted'
  | 'error_max_turns'
  | 'error_max_tokens'
  | 'error_timeout'
  | 'error_provider'
  | 'error_refusal'
  | 'error_truncated'
  | 'error_context_window'
  | 'error_paused'
  | 'error';

export interface TurnOutput {
  subtype: TurnSubtype;
  /** The markdown the `result` carried (or the error message): what history keeps. */
  text: string;
  report?: InvestigationReport;
  usage: Usage;
  provider: string;
}

export interface Engine {
  readonly provider: ModelProvider;
  runTurn(request: TurnRequest, sink: AgentEventSink, signal: AbortSignal): Promise<TurnOutput>;
}

export function createEngine(options: EngineOptions): Engine {
  const now = options.now ?? (() => new Date());
  return {
    provider: options.provider,
    runTurn: (request, sink, signal) => runTurn(options, now, request, sink, signal),
  };
}

async function runTurn(
  options: EngineOptions,
  now: () => Date,
  request: TurnRequest,
  sink: AgentEventSink,
  outer: AbortSignal,
): Promise<TurnOutput> {
  const started = Date.now();
  const gate = new ToolEventGate(sink);
  const emitter = new TurnEmitter(request.threadId, gate, { role: 'commander' }, now);
  const { limits } = options;
  const budget = new TurnBudget(limits);
  let provider = options.provider;

  const promptChars = request.prompt.length + request.history.reduce((n, t) => n + t.text.length, 0);
  if (promptChars > limits.maxPromptChars) {
    const message = `The prompt and history are ${promptChars} characters; the limit is ${limits.maxPromptChars} (EXECUTOR_MAX_PROMPT_CHARS). Shorten the prompt or start a new thread.`;
    await emitter.error({ message, recoverable: false, code: 'prompt_too_large' });
    return { subtype: 'error', text: message, usage: budget.usage, provider: provider.name };
  }

  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer.reason);
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(
    () =>
      controller.abort(
        new LimitExceededError(
          'error_timeout',
          `Stopped after ${Math.round(limits.timeoutMs / 1000)} s: the wall-clock limit per turn (EXECUTOR_TURN_TIMEOUT_SECONDS).`,
        ),
      ),
    limits.timeoutMs,
  );

  const focus = [
    request.prompt,
    request.alert?.title,
    request.alert?.service,
    request.alert?.description,
    request.context?.service,
  ]
    .filter(Boolean)
    .join(' ');
  const state = new TurnState(resolveScope(request, options.defaultNamespaces ?? []), focus);
  const tools: ToolContext = {
    // The focus lets the collector read the logs of what the question names first.
    cluster: memoizeReader(options.cluster, { focus }),
    turn: state,
    emitter,
    signal: controller.signal,
    now,
  };
  const ctx = {
    registry: options.registry,
    tools,
    budget,
    skills: options.skills,
    limits,
    closeToolEvents: (id: string) => gate.close(id),
  };
  const usage = budget.usage;
  let subtype: TurnSubtype = 'success';
  let preface = '';
  let finalText = '';
  let partial = false;
  let fellBack: string | undefined;
  try {
    try {
      const outcome = await provider.runTurn(request, ctx);
      finalText = outcome.text;
      partial = outcome.partial ?? false;
    } catch (err) {
      if (!(err instanceof ProviderError) || !options.fallback || controller.signal.aborted) throw err;
      options.logger?.warn({ err, kind: err.kind }, 'model provider failed; falling back');
      fellBack = `${err.message} The ${options.fallback.name} engine (EXECUTOR_FALLBACK) wrote this report instead of ${provider.model}.`;
      await emitter.thought(
        `${err.message} Continuing with the ${options.fallback.name} engine, as EXECUTOR_FALLBACK allows.`,
      );
      provider = options.fallback;
      const fallbackBudget = new TurnBudget(limits);
      finalText = (await provider.runTurn(request, { ...ctx, budget: fallbackBudget })).text;
      addUsage(usage, fallbackBudget.usage);
    }
  } catch (err) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : err;
    if (reason instanceof TurnInterrupted) {
      subtype = 'interrupted';
      preface = 'Task interrupted. Send a new message to continue.';
    } else if (reason instanceof LimitExceededError || reason instanceof ModelStopError) {
      subtype = reason.subtype;
      preface = reason.message;
    } else if (reason instanceof ProviderError) {
      // No silent fallback: the stream ends with an error that says what the API answered.
      options.logger?.warn({ err: reason, kind: reason.kind }, 'model provider failed');
      await emitter.error({
        message: reason.message,
        recoverable: reason.kind === '429' || reason.kind === '529' || reason.kind.startsWith('5'),
        code: `provider_${reason.kind}`,
      });
      return { subtype: 'error_provider', text: reason.message, usage, provider: provider.name };
    } else {
      options.logger?.error({ err: reason }, 'turn failed');
      const message = `The investigation failed: ${reason instanceof Error ? reason.message : String(reason)}`;
      await emitter.error({ message, recoverable: false, code: 'internal' });
      return { subtype: 'error', text: message, usage, provider: provider.name };
    }
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onOuterAbort);
    // Concurrent work still running when the turn ended (a specialist beside one that failed) stops
    // here, and nothing it emits after the terminal event reaches the client.
    if (!controller.signal.aborted) controller.abort(new TurnInterrupted('the turn has ended'));
    gate.sealAfterTerminal();
  }

  // A follow-up the model answered directly: the answer is the result, not a report without a cause.
  const answered =
    request.history.length > 0 && subtype === 'success' && !state.report && finalText.trim() !== '';
  const assembled =
    !answered && (subtype !== 'interrupted' || state.findings.size > 0 || state.report)
      ? assembleReport(state, finalText)
      : undefined;
  const report = assembled && {
    ...assembled,
    ...(fellBack ? { notChecked: [...assembled.notChecked, fellBack] } : {}),
    ...(partial || subtype !== 'success' ? { partial: true } : {}),
  };
  const body = report ? renderReport(report) : finalText;
  const text = preface
    ? `${preface}${body ? `\n\n${subtype === 'success' ? '' : 'What was found so far:\n\n'}${body}` : ''}`
    : body;
  await emitter.result({
    text,
    success: subtype === 'success' || subtype === 'interrupted',
    subtype,
    ...(report ? { report } : {}),
    usage: { ...usage },
    provider: provider.name,
    model: provider.model,
    duration_ms: Date.now() - started,
  });
  return { subtype, text, ...(report ? { report } : {}), usage, provider: provider.name };
}

/**
 * Namespaces named by the caller: context, then the alert, then the executor's default. Values that
 * are not namespace names (alert labels are free text) are dropped before they reach an API path.
 */
export function resolveScope(request: Pick<TurnRequest, 'alert' | 'context'>, defaults: string[]): string[] {
  const named = [
    ...(request.context?.namespaces ?? []),
    ...(request.alert?.namespace ? [request.alert.namespace] : []),
    ...(request.alert?.labels.namespace ? [request.alert.labels.namespace] : []),
  ].filter((ns) => NamespaceSchema.safeParse(ns).success);
  return [...new Set(named.length > 0 ? named : defaults)];
}

/**
 * The turn's sink with a door per tool call: once the provider gives up on a call (a timeout) and
 * emits its tool_end itself, the tool's own late events are dropped. Sealed when the turn ends, it
 * lets the terminal event through and nothing after it.
 */
class ToolEventGate implements AgentEventSink {
  private readonly closed = new Set<string>();
  private sealing = false;
  private sealed = false;
  constructor(private readonly sink: AgentEventSink) {}

  close(toolUseId: string): void {
    this.closed.add(toolUseId);
  }

  /** From here on, only the one terminal event passes; nothing follows it. */
  sealAfterTerminal(): void {
    this.sealing = true;
  }

  emit(event: StreamEvent): Promise<void> | void {
    if (this.sealed) return;
    if (this.sealing) {
      if (event.type !== 'result' && event.type !== 'error') return;
      this.sealed = true;
    }
    const id = (event.data as { tool_use_id?: unknown }).tool_use_id;
    if (
      (event.type === 'tool_start' || event.type === 'tool_end') &&
      typeof id === 'string' &&
      this.closed.has(id)
    ) {
      // The provider's own tool_end for this call passes before the door shuts.
      return;
    }
    return this.sink.emit(event);
  }
}

function addUsage(into: Usage, more: Usage): void {
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.cacheReadInputTokens += more.cacheReadInputTokens;
  into.cacheCreationInputTokens += more.cacheCreationInputTokens;
  into.costUsd += more.costUsd;
  into.modelCalls += more.modelCalls;
}
