// Folds one streamed Chat Completions response (its chunks) into an assistant answer: the text,
// any reasoning the server streams beside it (vLLM and DeepSeek send `reasoning_content`, Ollama
// and OpenRouter `reasoning`), tool calls assembled from their deltas by index (the id and name come
// once, the arguments in pieces; malformed JSON becomes an input error the registry reports to the
// model instead of failing the turn), the finish reason, a refusal, and usage.
import {
  type ChatCompletionAssistantMessageParam,
  type ChatCompletionChunk,
} from 'openai/resources/chat/completions';
import { type ToolUse } from './tool-calls';

export type FinishReason = ChatCompletionChunk.Choice['finish_reason'];

export interface ChatAnswer {
  /** The assistant's turn as it goes back to the API with the tool results. */
  message: ChatCompletionAssistantMessageParam;
  text: string;
  reasoning: string;
  refusal: string;
  toolUses: ToolUse[];
  finishReason: FinishReason;
  /** As Claude's usage reads: input excludes the cached part, and this dialect reports no cache writes. */
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens: number;
    cacheCreationInputTokens: 0;
  };
}

interface BuildingCall {
  id: string;
  name: string;
  args: string;
}

/** Reasoning fields some OpenAI-compatible servers add to a delta. */
type ReasoningDelta = { reasoning_content?: string | null; reasoning?: string | null };

export class ChunkAccumulator {
  private text = '';
  private reasoning = '';
  private refusal = '';
  private readonly calls = new Map<number, BuildingCall>();
  private finishReason: FinishReason = null;
  private readonly usage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0 as const,
  };

  add(chunk: ChatCompletionChunk): void {
    if (chunk.usage) {
      // prompt_tokens counts the cached prefix too; Claude's input_tokens does not.
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
      this.usage.inputTokens = Math.max(0, chunk.usage.prompt_tokens - cached);
      this.usage.outputTokens = chunk.usage.completion_tokens;
      this.usage.cacheReadInputTokens = cached;
    }
    // One choice is asked for (n defaults to 1); a server that sends more is read for the first.
    const choice = chunk.choices.find((c) => c.index === 0);
    if (!choice) return;
    const delta = choice.delta as ChatCompletionChunk.Choice.Delta & ReasoningDelta;
    if (delta.content) this.text += delta.content;
    if (delta.refusal) this.refusal += delta.refusal;
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) this.reasoning += reasoning;
    for (const call of delta.tool_calls ?? []) {
      const building = this.calls.get(call.index) ?? { id: '', name: '', args: '' };
      if (call.id) building.id = call.id;
      if (call.function?.name) building.name += call.function.name;
      if (call.function?.arguments) building.args += call.function.arguments;
      this.calls.set(call.index, building);
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  finish(): ChatAnswer {
    const ordered = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    const toolUses = ordered.map((call, i): ToolUse => {
      // Some servers omit ids; the API needs one to pair each result with its call.
      const id = call.id || `call_${i}`;
      const { input, inputError } = parseArguments(call.args);
      return { id, name: call.name, input, ...(inputError === undefined ? {} : { inputError }) };
    });
    const message: ChatCompletionAssistantMessageParam = {
      role: 'assistant',
      content: this.text || null,
      ...(toolUses.length > 0
        ? {
            tool_calls: toolUses.map((use, i) => ({
              id: use.id,
              type: 'function' as const,
              function: { name: use.name, arguments: ordered[i]!.args },
            })),
          }
        : {}),
    };
    return {
      message,
      text: this.text.trim(),
      reasoning: this.reasoning.trim(),
      refusal: this.refusal.trim(),
      toolUses,
      finishReason: this.finishReason,
      usage: { ...this.usage },
    };
  }
}

function parseArguments(args: string): { input: unknown; inputError?: string } {
  if (args.trim() === '') return { input: {} };
  try {
    return { input: JSON.parse(args) as unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { input: {}, inputError: `the arguments were not valid JSON (${why})` };
  }
}
