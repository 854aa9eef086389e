// The Claude provider: the commander runs a tool-use loop over the streaming Messages API; each
// specialist is a subagent the commander calls as a tool, running its own loop with its own prompt
// and allow-list, its events stamped with the commander's tool_use id. Retries: the SDK retries
// 429/5xx/529 before a stream starts (honouring retry-after); this file retries an overloaded or
// api error that arrives mid-stream, as long as nothing of that response was emitted yet.
import Anthropic, { APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  type MessageParam,
  type TextBlockParam,
  type Tool,
  type ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { type HistoryTurn } from '@foxhound/contracts';
import { z } from 'zod';
import { commander, SUBAGENT_ROLES } from '../roles/roles';
import { type RoleDefinition } from '../roles/types';
import { type ToolContext } from '../tools/context';
import { type ToolRegistry } from '../tools/registry';
import { truncateOutput } from '../tools/truncate';
import { MessageAccumulator, type AssistantMessage, type ToolUse } from './anthropic-stream';
import { costUsd } from './pricing';
import { systemPrompt, userMessage } from './prompt';
import {
  type ModelProvider,
  type ProviderContext,
  type ProviderOutcome,
  ProviderError,
  type TurnRequest,
} from './types';

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
  /** `max_tokens` of one call, lowered to what the turn's token budget has left. */
  maxTokensPerCall?: number;
  /** Per-request timeout of the HTTP client. */
  requestTimeoutMs?: number;
}

const DelegationSchema = z.object({
  task: z
    .string()
    .min(1)
    .max(4000)
    .describe('What to find out, naming namespaces and objects; the specialist sees nothing else.'),
});

/** A subagent's answer is bounded like any tool output before it reaches the commander. */
const SUBAGENT_ANSWER_BUDGET = 8_000;

export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxTokensPerCall: number;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
    this.maxRetries = options.maxRetries ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.maxTokensPerCall = options.maxTokensPerCall ?? 8_192;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? 'https://api.anthropic.com',
      maxRetries: this.maxRetries,
      timeout: options.requestTimeoutMs ?? 600_000,
    });
  }

  async runTurn(request: TurnRequest, ctx: ProviderContext): Promise<ProviderOutcome> {
    const messages = historyMessages(request.history);
    appendUser(messages, userMessage(request, ctx.tools.turn.scope));
    const text = await this.runRole(commander, messages, ctx, ctx.tools);
    return { text };
  }

  /** One role's tool-use loop; returns the role's last words. */
  private async runRole(
    role: RoleDefinition,
    messages: MessageParam[],
    ctx: ProviderContext,
    tools: ToolContext,
  ): Promise<string> {
    const system: TextBlockParam[] = [
      {
        type: 'text',
        text: systemPrompt(role, ctx.registry, ctx.skills),
        cache_control: { type: 'ephemeral' },
      },
    ];
    const toolParams = this.toolParams(role, ctx.registry);
    let lastText = '';
    for (;;) {
      ctx.budget.startTurn();
      const message = await this.call(system, toolParams, messages, ctx, tools);
      ctx.budget.addUsage({ ...message.usage, costUsd: costUsd(this.model, message.usage) });
      messages.push({ role: 'assistant', content: message.content });
      if (message.texts.length > 0) lastText = message.texts.join('\n\n');
      if (message.toolUses.length === 0) return lastText;
      const results: ToolResultBlockParam[] = [];
      for (const use of message.toolUses) results.push(await this.runToolUse(role, use, ctx, tools));
      messages.push({ role: 'user', content: results });
    }
  }

  private async runToolUse(
    role: RoleDefinition,
    use: ToolUse,
    ctx: ProviderContext,
    tools: ToolContext,
  ): Promise<ToolResultBlockParam> {
    const subagent = role.id === 'commander' ? SUBAGENT_ROLES[use.name] : undefined;
    if (subagent) {
      const parsed = DelegationSchema.safeParse(use.input);
      if (use.inputError === undefined && parsed.success)
        return this.runSubagent(subagent, use, parsed.data.task, ctx, tools);
      const problem =
        use.inputError ??
        parsed.error?.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return rejectDelegation(use, `Invalid input for ${use.name}: ${problem}. Send {"task": "..."}.`, tools);
    }
    const outcome = await ctx.registry.invoke(
      { name: use.name, input: use.input, toolUseId: use.id, role, inputError: use.inputError },
      tools,
    );
    const isError = outcome.status === 'error' || outcome.status === 'refused';
    return {
      type: 'tool_result',
      tool_use_id: use.id,
      content: outcome.text,
      ...(isError ? { is_error: true } : {}),
    };
  }

  private async runSubagent(
    role: RoleDefinition,
    use: ToolUse,
    task: string,
    ctx: ProviderContext,
    tools: ToolContext,
  ): Promise<ToolResultBlockParam> {
    const summary = `Asking the ${role.title}: ${task.length > 160 ? `${task.slice(0, 160)}…` : task}`;
    await tools.emitter.toolStart({
      name: use.name,
      tool_use_id: use.id,
      input: { task: task.slice(0, 200) },
      summary,
    });
    const child: ToolContext = { ...tools, emitter: tools.emitter.child(role.id, use.id) };
    const scope = tools.turn.scope;
    const brief = `${task}\n\n${scope.length > 0 ? `Namespaces in scope: ${scope.join(', ')}.` : 'No namespace scope was given.'}`;
    const answer = await this.runRole(role, [{ role: 'user', content: brief }], ctx, child);
    const bounded = truncateOutput(answer || `The ${role.title} gave no answer.`, SUBAGENT_ANSWER_BUDGET);
    await tools.emitter.toolEnd({
      name: use.name,
      tool_use_id: use.id,
      success: true,
      status: 'success',
      summary: `The ${role.title} answered`,
      output: bounded.text,
      ...(bounded.cut === undefined ? {} : { truncated: bounded.cut }),
    });
    return { type: 'tool_result', tool_use_id: use.id, content: bounded.text };
  }

  /** The role's tools in its allow-list order: enabled registry tools, and for the commander its specialists. */
  private toolParams(role: RoleDefinition, registry: ToolRegistry): Tool[] {
    const enabled = new Map(registry.toolsFor(role).map((t) => [t.name, t]));
    const params: Tool[] = role.tools.flatMap((name): Tool[] => {
      const sub = role.id === 'commander' ? SUBAGENT_ROLES[name] : undefined;
      if (sub) return [{ name, description: sub.description, input_schema: inputSchema(DelegationSchema) }];
      const tool = enabled.get(name);
      return tool ? [{ name, description: tool.description, input_schema: inputSchema(tool.params) }] : [];
    });
    // One cache breakpoint after the last tool caches the whole tool list (tools precede system).
    if (params.length > 0)
      params[params.length - 1] = { ...params[params.length - 1]!, cache_control: { type: 'ephemeral' } };
    return params;
  }

  private async call(
    system: TextBlockParam[],
    tools: Tool[],
    messages: MessageParam[],
    ctx: ProviderContext,
    toolCtx: ToolContext,
  ): Promise<AssistantMessage> {
    const signal = toolCtx.signal;
    for (let attempt = 0; ; attempt++) {
      let emitted = false;
      try {
        const stream = await this.client.messages.create(
          {
            model: this.model,
            max_tokens: Math.max(1, Math.min(this.maxTokensPerCall, ctx.budget.tokensLeft)),
            system,
            tools,
            messages,
            stream: true,
          },
          { signal },
        );
        const acc = new MessageAccumulator();
        for await (const event of stream) {
          const block = acc.add(event);
          if (block?.type === 'text' && block.text.trim()) {
            emitted = true;
            await toolCtx.emitter.thought(block.text);
          }
        }
        return acc.finish();
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (!emitted && attempt < this.maxRetries && retryableMidStream(err)) {
          await sleep(Math.min(this.retryBaseMs * 2 ** attempt, 8_000), signal);
          continue;
        }
        throw toProviderError(err);
      }
    }
  }
}

async function rejectDelegation(
  use: ToolUse,
  message: string,
  tools: ToolContext,
): Promise<ToolResultBlockParam> {
  await tools.emitter.toolStart({
    name: use.name,
    tool_use_id: use.id,
    input: {},
    summary: `${use.name} (invalid input)`,
  });
  await tools.emitter.toolEnd({
    name: use.name,
    tool_use_id: use.id,
    success: false,
    status: 'error',
    summary: message,
    output: message,
    error: message,
  });
  return { type: 'tool_result', tool_use_id: use.id, content: message, is_error: true };
}

/** An error event inside a 200 stream (no HTTP status) that the API marks as transient. */
function retryableMidStream(err: unknown): boolean {
  return (
    err instanceof APIError &&
    err.status === undefined &&
    (err.type === 'overloaded_error' || err.type === 'api_error')
  );
}

function toProviderError(err: unknown): ProviderError {
  if (err instanceof APIUserAbortError)
    return new ProviderError('The model request was aborted.', 'aborted', { cause: err });
  if (err instanceof APIError) {
    const kind = err.status !== undefined ? String(err.status) : (err.type ?? 'stream_error');
    return new ProviderError(`The Claude API failed: ${err.message}`, kind, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(`The Claude API failed: ${message}`, 'client', { cause: err });
}

function inputSchema(params: z.ZodObject): Tool.InputSchema {
  const { $schema: _drop, ...schema } = z.toJSONSchema(params, { io: 'input' }) as Record<string, unknown>;
  return schema as Tool.InputSchema;
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
