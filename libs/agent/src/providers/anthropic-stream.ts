// Folds one streamed Messages API response (raw SSE events) into an assistant message: text blocks,
// tool calls with their JSON input parsed at block end (malformed JSON becomes an input error the
// registry reports to the model instead of failing the stream), the stop reason and usage.
import { type ContentBlockParam, type RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';

export interface ToolUse {
  id: string;
  name: string;
  input: unknown;
  /** Set when the streamed input was not valid JSON. */
  inputError?: string;
}

export type CompletedBlock = { type: 'text'; text: string } | ({ type: 'tool_use' } & ToolUse);

export interface AssistantMessage {
  /** The content to send back as the assistant's turn. */
  content: ContentBlockParam[];
  texts: string[];
  toolUses: ToolUse[];
  stopReason: string | null;
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens: number;
    cacheCreationInputTokens: number;
  };
}

type Building =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'other' };

export class MessageAccumulator {
  private readonly blocks: Building[] = [];
  private readonly completed: CompletedBlock[] = [];
  private stopReason: string | null = null;
  private started = false;
  private stopped = false;
  private readonly usage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
  };

  /** Adds one event; returns the block it completed, if any. */
  add(event: RawMessageStreamEvent): CompletedBlock | undefined {
    switch (event.type) {
      case 'message_start': {
        this.started = true;
        const u = event.message.usage;
        this.usage.inputTokens = u.input_tokens ?? 0;
        this.usage.outputTokens = u.output_tokens ?? 0;
        this.usage.cacheReadInputTokens = u.cache_read_input_tokens ?? 0;
        this.usage.cacheCreationInputTokens = u.cache_creation_input_tokens ?? 0;
        return undefined;
      }
      case 'content_block_start': {
        const block = event.content_block;
        this.blocks[event.index] =
          block.type === 'text'
            ? { type: 'text', text: block.text ?? '' }
            : block.type === 'tool_use'
              ? { type: 'tool_use', id: block.id, name: block.name, json: '' }
              : { type: 'other' };
        return undefined;
      }
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        if (block?.type === 'text' && event.delta.type === 'text_delta') block.text += event.delta.text;
        if (block?.type === 'tool_use' && event.delta.type === 'input_json_delta')
          block.json += event.delta.partial_json;
        return undefined;
      }
      case 'content_block_stop':
        return this.complete(this.blocks[event.index]);
      case 'message_delta': {
        this.stopReason = event.delta.stop_reason;
        const u = event.usage;
        this.usage.outputTokens = u.output_tokens;
        if (u.input_tokens != null) this.usage.inputTokens = u.input_tokens;
        if (u.cache_read_input_tokens != null) this.usage.cacheReadInputTokens = u.cache_read_input_tokens;
        if (u.cache_creation_input_tokens != null)
          this.usage.cacheCreationInputTokens = u.cache_creation_input_tokens;
        return undefined;
      }
      case 'message_stop':
        this.stopped = true;
        return undefined;
      default:
        return undefined;
    }
  }

  finish(): AssistantMessage {
    if (!this.started || !this.stopped) throw new Error('the response stream ended before message_stop');
    const content: ContentBlockParam[] = this.completed.map((b) =>
      b.type === 'text'
        ? { type: 'text', text: b.text }
        : { type: 'tool_use', id: b.id, name: b.name, input: b.inputError === undefined ? b.input : {} },
    );
    return {
      // The API rejects empty text blocks when they are sent back.
      content: content.filter((b) => b.type !== 'text' || b.text.length > 0),
      texts: this.completed.flatMap((b) => (b.type === 'text' && b.text.trim() ? [b.text] : [])),
      toolUses: this.completed.flatMap((b) => (b.type === 'tool_use' ? [b] : [])),
      stopReason: this.stopReason,
      usage: { ...this.usage },
    };
  }

  private complete(block: Building | undefined): CompletedBlock | undefined {
    if (!block || block.type === 'other') return undefined;
    let done: CompletedBlock;
    if (block.type === 'text') {
      done = { type: 'text', text: block.text };
    } else {
      done = { type: 'tool_use', id: block.id, name: block.name, ...parseInput(block.json) };
    }
    this.completed.push(done);
    return done;
  }
}

function parseInput(json: string): { input: unknown; inputError?: string } {
  if (json.trim() === '') return { input: {} };
  try {
    const input: unknown = JSON.parse(json);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { input: {}, inputError: 'the input is not a JSON object' };
    }
    return { input };
  } catch (err) {
    return { input: {}, inputError: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}
