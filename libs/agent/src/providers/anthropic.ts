// The Claude provider: the commander runs a tool-use loop over the streaming Messages API
// (anthropic-loop.ts); each specialist is a subagent the commander calls as a tool, running its own
// loop with its own prompt and allow-list, its events stamped with the commander's tool_use id.
// This file owns the client and one request: thinking as the model takes it (summaries requested,
// streamed as `thought` events, every block kept for the way back), effort, cache breakpoints, no
// sampling parameters and no forced tool choice. Retries: the SDK retries 429/5xx/529 before a
// stream starts (honouring retry-after); this file retries an overloaded or api error that arrives
// mid-stream, as long as nothing of that response was emitted yet.
import Anthropic from '@anthropic-ai/sdk';
import { type MessageCreateParamsStreaming, type MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { type HistoryTurn } from '@foxhound/contracts';
import { DEFAULT_LIMITS } from '../limits';
import { commander } from '../roles/roles';
import { type ToolContext } from '../tools/context';
import { cachedMessages, cachedSystem, cachedTools, type CacheStrategy } from './anthropic-cache';
import { contextWindowError, retryableMidStream, toProviderError } from './anthropic-errors';
import { runRole, type LoopDeps, type ModelRequest } from './anthropic-loop';
import { MessageAccumulator, type AssistantMessage } from './anthropic-stream';
import {
  type Effort,
  INTERLEAVED_THINKING_BETA,
  modelTraits,
  type ModelTraits,
  thinkingParam,
} from './models';
import { userMessage } from './prompt';
import { CallMemo, delegate } from './tool-calls';
import { type ModelProvider, type ProviderContext, type ProviderOutcome, type TurnRequest } from './types';

/**
 * The default model: the current Sonnet in @anthropic-ai/sdk 1.12's model list. (claude-sonnet-4-5
 * is deprecated there, end of life 2026-11-30.) ANTHROPIC_MODEL overrides it.
 */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';

export interface AnthropicProviderOptions {
  apiKey: string;
  model?: string;
  baseURL?: string;
  /** Retries of a failed request (429, 5xx, 529, connection errors), with exponential backoff. */
  maxRetries?: number;
  /** First backoff of a mid-stream retry; doubles per attempt, capped at 8 s. */
  retryBaseMs?: number;
  /** `max_tokens` of one call (thinking included), lowered to what the turn's token budget has left. */
  maxTokensPerCall?: number;
  /** Per-request timeout of the HTTP client. */
  requestTimeoutMs?: number;
  /** output_config.effort, on models that take it; unset leaves the model's default. */
  effort?: Effort;
  /** Where cache breakpoints go; `rolling` unless measuring the old behaviour. */
  cacheStrategy?: CacheStrategy;
}

export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly traits: ModelTraits;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxTokensPerCall: number;
  private readonly effort?: Effort;
  private readonly cacheStrategy: CacheStrategy;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
    this.traits = modelTraits(this.model);
    this.maxRetries = options.maxRetries ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.maxTokensPerCall = options.maxTokensPerCall ?? 16_000;
    this.effort = options.effort;
    this.cacheStrategy = options.cacheStrategy ?? 'rolling';
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? 'https://api.anthropic.com',
      maxRetries: this.maxRetries,
      timeout: options.requestTimeoutMs ?? 600_000,
    });
  }

  async runTurn(request: TurnRequest, ctx: ProviderContext): Promise<ProviderOutcome> {
    const messages = historyMessages(request.history);
    appendUser(messages, userMessage(request, ctx.tools.turn.scope, ctx.tools.now()));
    let partial = false;
    const limits = ctx.limits ?? DEFAULT_LIMITS;
    const deps: LoopDeps = {
      ctx,
      model: this.model,
      memo: new CallMemo(),
      toolTimeoutMs: limits.toolTimeoutMs,
      maxTokensPerCall: this.maxTokensPerCall,
      maxSteps: (role) => limits.maxStepsPerRole?.[role.id] ?? DEFAULT_LIMITS.maxStepsPerRole[role.id],
      call: (req, tools) => this.call(req, tools),
      runSubagent: async (role, use, task, tools) => {
        const result = await delegate(role, use, task, tools, (brief, child) =>
          runRole(role, [{ role: 'user', content: brief }], child, deps),
        );
        partial ||= result.partial;
        return result.answer;
      },
    };
    const outcome = await runRole(commander, messages, ctx.tools, deps);
    return { text: outcome.text, partial: partial || outcome.partial };
  }

  /** One streamed request; thoughts are emitted as their blocks complete. */
  private async call(req: ModelRequest, tools: ToolContext): Promise<AssistantMessage> {
    const signal = tools.signal;
    const manual = this.traits.thinking === 'manual';
    const maxTokens = manual ? Math.max(req.maxTokens, 2048) : req.maxTokens;
    const params: MessageCreateParamsStreaming = {
      model: this.model,
      max_tokens: maxTokens,
      system: cachedSystem(req.system),
      tools: cachedTools(req.tools),
      messages: cachedMessages(req.messages, this.cacheStrategy),
      thinking: thinkingParam(this.traits, maxTokens),
      ...(this.effort && this.traits.effort ? { output_config: { effort: this.effort } } : {}),
      stream: true,
    };
    const headers = manual ? { 'anthropic-beta': INTERLEAVED_THINKING_BETA } : undefined;
    for (let attempt = 0; ; attempt++) {
      let emitted = false;
      try {
        const stream = await this.client.messages.create(params, { signal, headers });
        const acc = new MessageAccumulator();
        for await (const event of stream) {
          const block = acc.add(event);
          const words =
            block?.type === 'text' ? block.text : block?.type === 'thinking' ? block.thinking : '';
          if (words.trim()) {
            emitted = true;
            await tools.emitter.thought(words);
          }
        }
        return acc.finish();
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (!emitted && attempt < this.maxRetries && retryableMidStream(err)) {
          await sleep(Math.min(this.retryBaseMs * 2 ** attempt, 8_000), signal);
          continue;
        }
        throw contextWindowError(err) ?? toProviderError(err);
      }
    }
  }
}

/** History as alternating messages, starting with the user (the API requires both). */
function historyMessages(history: HistoryTurn[]): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const turn of history) {
    if (turn.role === 'user') appendUser(messages, turn.text);
    else if (messages.length > 0) {
      const last = messages[messages.length - 1]!;
      if (last.role === 'assistant') last.content = `${String(last.content)}\n\n${turn.text}`;
      else messages.push({ role: 'assistant', content: turn.text });
    }
  }
  return messages;
}

function appendUser(messages: MessageParam[], text: string): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'user' && typeof last.content === 'string') last.content = `${last.content}\n\n${text}`;
  else messages.push({ role: 'user', content: text });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
