// The OpenAI-compatible provider: the same commander and specialists as the Claude provider, over
// the Chat Completions API of any server that speaks it (OpenAI, Azure OpenAI, vLLM, Ollama,
// LiteLLM), so an install can run on a model it hosts and nothing leaves its network. Streaming,
// tool calling and token accounting go through the official `openai` SDK; the SDK retries 429 and
// 5xx before a stream starts (honouring retry-after). Models hosted locally are often small: they
// stall and loop, so a response that stops sending chunks is abandoned after an idle timeout, a
// repeated identical call ends the turn (openai-loop.ts), and both surface as a ProviderError that
// EXECUTOR_FALLBACK turns into the offline engine's report, said in the stream and the report.
import OpenAI, { APIError, APIUserAbortError } from 'openai';
import { type ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { type HistoryTurn } from '@foxhound/contracts';
import { DEFAULT_LIMITS } from '../limits';
import { commander } from '../roles/roles';
import { type ToolContext } from '../tools/context';
import { runChatRole, type ChatLoopDeps, type ChatRequest } from './openai-loop';
import { type ChatAnswer, ChunkAccumulator } from './openai-stream';
import { userMessage } from './prompt';
import { CallMemo, delegate } from './tool-calls';
import {
  type ModelProvider,
  type ProviderContext,
  type ProviderOutcome,
  ProviderError,
  type TurnRequest,
} from './types';

/** The name of the output-token field: OpenAI's current one, or the older one some servers still want. */
export type MaxTokensParam = 'max_completion_tokens' | 'max_tokens';

export interface OpenAIProviderOptions {
  /** The server's base URL, up to and including its version path (e.g. http://vllm:8000/v1). */
  baseURL: string;
  model: string;
  /** Servers without authentication (a local Ollama) take any key; the SDK needs one to send. */
  apiKey?: string;
  /** Retries of a failed request (429, 5xx, connection errors), with exponential backoff. */
  maxRetries?: number;
  /** Output tokens of one call, lowered to what the turn's token budget has left. */
  maxTokensPerCall?: number;
  maxTokensParam?: MaxTokensParam;
  /** Per-request timeout of the HTTP client. */
  requestTimeoutMs?: number;
  /** A stream that sends nothing for this long is abandoned as stalled. */
  idleTimeoutMs?: number;
  /** One call with the same arguments asked for this many times in a role's run ends the turn. */
  maxIdenticalCalls?: number;
}

const NO_KEY = 'no-key';

export class OpenAIProvider implements ModelProvider {
  readonly name = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  private readonly maxTokensPerCall: number;
  private readonly maxTokensParam: MaxTokensParam;
  private readonly idleTimeoutMs: number;
  private readonly maxIdenticalCalls: number;

  constructor(options: OpenAIProviderOptions) {
    this.model = options.model;
    this.maxTokensPerCall = options.maxTokensPerCall ?? 8_000;
    this.maxTokensParam = options.maxTokensParam ?? 'max_completion_tokens';
    this.idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    this.maxIdenticalCalls = options.maxIdenticalCalls ?? 4;
    this.client = new OpenAI({
      apiKey: options.apiKey ?? NO_KEY,
      baseURL: options.baseURL,
      maxRetries: options.maxRetries ?? 4,
      timeout: options.requestTimeoutMs ?? 600_000,
    });
  }

  async runTurn(request: TurnRequest, ctx: ProviderContext): Promise<ProviderOutcome> {
    const messages = historyMessages(request.history);
    messages.push({ role: 'user', content: userMessage(request, ctx.tools.turn.scope, ctx.tools.now()) });
    let partial = false;
    const limits = ctx.limits ?? DEFAULT_LIMITS;
    const deps: ChatLoopDeps = {
      ctx,
      model: this.model,
      memo: new CallMemo(),
      toolTimeoutMs: limits.toolTimeoutMs,
      maxTokensPerCall: this.maxTokensPerCall,
      maxIdenticalCalls: this.maxIdenticalCalls,
      maxSteps: (role) => limits.maxStepsPerRole?.[role.id] ?? DEFAULT_LIMITS.maxStepsPerRole[role.id],
      call: (req, tools) => this.call(req, tools),
      runSubagent: async (role, use, task, tools) => {
        const result = await delegate(role, use, task, tools, (brief, child) =>
          runChatRole(role, [{ role: 'user', content: brief }], child, deps),
        );
        partial ||= result.partial;
        return result.answer;
      },
    };
    const outcome = await runChatRole(commander, messages, ctx.tools, deps);
    return { text: outcome.text, partial: partial || outcome.partial };
  }

  /** One streamed request, abandoned when the server stops sending for longer than the idle timeout. */
  private async call(req: ChatRequest, tools: ToolContext): Promise<ChatAnswer> {
    const stalled = new AbortController();
    const signal = AbortSignal.any([tools.signal, stalled.signal]);
    let timer = setTimeout(() => stalled.abort(), this.idleTimeoutMs);
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stalled.abort(), this.idleTimeoutMs);
    };
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: req.messages,
          tools: req.tools,
          [this.maxTokensParam]: req.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
      const acc = new ChunkAccumulator();
      for await (const chunk of stream) {
        rearm();
        acc.add(chunk);
      }
      // The SDK ends a stream quietly when its signal aborts, so an abort is checked for here too.
      if (signal.aborted) throw signal.reason;
      return acc.finish();
    } catch (err) {
      if (tools.signal.aborted) throw tools.signal.reason;
      if (stalled.signal.aborted)
        throw new ProviderError(
          `The model server (${this.model}) sent nothing for ${duration(this.idleTimeoutMs)} and the request was abandoned.`,
          'stalled',
          { cause: err },
        );
      throw toProviderError(err);
    } finally {
      clearTimeout(timer);
    }
  }
}

function toProviderError(err: unknown): ProviderError {
  if (err instanceof APIUserAbortError)
    return new ProviderError('The model request was aborted.', 'aborted', { cause: err });
  if (err instanceof APIError) {
    const kind = err.status !== undefined ? String(err.status) : (err.type ?? 'stream_error');
    const status = err.status === undefined ? '' : `${err.status} `;
    return new ProviderError(`The model server failed: ${status}${err.message}`, kind, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(`The model server failed: ${message}`, 'client', { cause: err });
}

/** Earlier exchanges as chat messages; consecutive answers of one side are joined. */
function historyMessages(history: HistoryTurn[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  for (const turn of history) {
    const last = messages[messages.length - 1];
    if (last?.role === turn.role && typeof last.content === 'string') last.content += `\n\n${turn.text}`;
    else messages.push({ role: turn.role, content: turn.text });
  }
  return messages;
}

const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);
