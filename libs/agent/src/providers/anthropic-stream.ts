// Folds one streamed Messages API response (raw SSE events) into an assistant message: thinking
// and redacted_thinking blocks kept verbatim with their signatures (the API requires them back
// unchanged with the tool results), text blocks, tool calls with their JSON input parsed at block
// end (malformed JSON becomes an input error the registry reports to the model instead of failing
// the stream), the stop reason and usage.
import {
  type ContentBlockParam,
  type RawMessageStreamEvent,
  type StopReason,
} from '@anthropic-ai/sdk/resources/messages';
import { type ToolUse } from './tool-calls';

/** A finished block worth showing: a thinking summary or text (both become `thought` events). */
export type CompletedBlock =
  { type: 'text'; text: string } | { type: 'thinking'; thinking: string } | ({ type: 'tool_use' } & ToolUse);

export interface AssistantMessage {
  /** The content to send back as the assistant's turn, every block as the API returned it. */
  content: ContentBlockParam[];
  texts: string[];
  /** Thinking summaries, in order (empty when the display omits them). */
  thoughts: string[];
  toolUses: ToolUse[];
  stopReason: StopReason | null;
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens: number;
    cacheCreationInputTokens: number;
  };
}

type Building =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'other' };

export class MessageAccumulator {
  private readonly blocks: Building[] = [];
  private readonly content: ContentBlockParam[] = [];
  private readonly completed: CompletedBlock[] = [];
  private stopReason: StopReason | null = null;
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
        this.blocks[event.index] = building(event.content_block);
        return undefined;
      }
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        const delta = event.delta;
        if (block?.type === 'text' && delta.type === 'text_delta') block.text += delta.text;
        else if (block?.type === 'thinking' && delta.type === 'thinking_delta')
          block.thinking += delta.thinking;
        else if (block?.type === 'thinking' && delta.type === 'signature_delta')
          block.signature += delta.signature;
        else if (block?.type === 'tool_use' && delta.type === 'input_json_delta')
          block.json += delta.partial_json;
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
    return {
      content: [...this.content],
      texts: this.completed.flatMap((b) => (b.type === 'text' && b.text.trim() ? [b.text] : [])),
      thoughts: this.completed.flatMap((b) =>
        b.type === 'thinking' && b.thinking.trim() ? [b.thinking] : [],
      ),
      toolUses: this.completed.flatMap((b) => (b.type === 'tool_use' ? [b] : [])),
      stopReason: this.stopReason,
      usage: { ...this.usage },
    };
  }

  private complete(block: Building | undefined): CompletedBlock | undefined {
    if (!block || block.type === 'other') return undefined;
    let done: CompletedBlock | undefined;
    switch (block.type) {
      case 'text':
        // The API rejects empty text blocks when they are sent back.
        if (block.text.length > 0) this.content.push({ type: 'text', text: block.text });
        done = { type: 'text', text: block.text };
        break;
      case 'thinking':
        this.content.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
        done = { type: 'thinking', thinking: block.thinking };
        break;
      case 'redacted_thinking':
        this.content.push({ type: 'redacted_thinking', data: block.data });
        return undefined;
      case 'tool_use': {
        const parsed = parseInput(block.json);
        this.content.push({
          type: 'tool_use',
          id: block.id,
          name: block.name,
          input: parsed.inputError === undefined ? parsed.input : {},
        });
        done = { type: 'tool_use', id: block.id, name: block.name, ...parsed };
        break;
      }
    }
    this.completed.push(done);
    return done;
  }
}

function building(
  block: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>['content_block'],
): Building {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text ?? '' };
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking ?? '', signature: block.signature ?? '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, json: '' };
    default:
      return { type: 'other' };
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
