// What the strict fake refuses, with the status, error type and message the Messages API answers
// (messages quoted from the API's 400s as reported in public issues, and from the thinking,
// tool-use, prompt-caching and model migration pages): sampling parameters and thinking modes a
// model rejects, a forced tool_choice with thinking, more than four cache breakpoints, malformed
// tool turns, prefill, and thinking blocks that are missing, altered or moved to another conversation.
import { modelTraits } from '../providers/models';
import {
  blocksOf,
  normalize,
  prefixHash,
  type VolatileText,
  type WireBlock,
  type WireMessage,
  type WireRequest,
} from './fake-wire';

export interface ApiRefusal {
  status: number;
  type: string;
  message: string;
}

/** What the fake produced, so a later request can be checked against it. */
export interface Produced {
  /** signature (or redacted data) → the thinking text it signs and the prefix it is bound to. */
  signatures: Map<string, { thinking: string; prefix: string }>;
  /** tool_use id → the signatures of the thinking blocks of the message that called it, in order. */
  thinkingOfToolUse: Map<string, string[]>;
  /** Assistant contents the fake ended with pause_turn: those may end a request. */
  paused: Set<string>;
}

const invalid = (message: string): ApiRefusal => ({ status: 400, type: 'invalid_request_error', message });

/** Whether this request runs with thinking, and the display it asked for. */
export function thinkingOf(body: WireRequest): { on: boolean; display: 'summarized' | 'omitted' } {
  const traits = modelTraits(body.model);
  const type = body.thinking?.type;
  const on = type === undefined ? traits.thinkingByDefault : type !== 'disabled';
  const display =
    body.thinking?.display === 'omitted' || body.thinking?.display === 'summarized'
      ? body.thinking.display
      : traits.defaultDisplay;
  return { on, display };
}

export function refuse(
  body: WireRequest,
  produced: Produced,
  volatile?: VolatileText[],
): ApiRefusal | undefined {
  return (
    checkParameters(body) ??
    checkCacheBreakpoints(body) ??
    checkConversation(body, produced) ??
    checkThinkingBlocks(body, produced, volatile)
  );
}

function checkParameters(body: WireRequest): ApiRefusal | undefined {
  if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return invalid('max_tokens: Field required');
  const traits = modelTraits(body.model);
  for (const param of ['temperature', 'top_p', 'top_k'] as const)
    if (body[param] !== undefined && traits.rejectsSampling)
      return invalid(`\`${param}\` is deprecated for this model.`);
  const type = body.thinking?.type;
  if (type === 'disabled' && traits.rejectsDisabledThinking)
    return invalid(
      body.model.startsWith('claude-sonnet-5-5')
        ? '"thinking.type.disabled" is not supported for this model. Use "thinking.type.between_tools" to turn off up-front thinking.'
        : '"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
  if (type === 'enabled' && traits.thinking === 'adaptive')
    return invalid(
      '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
  if (type === 'adaptive' && traits.thinking === 'manual')
    return invalid('"thinking.type.adaptive" is not supported for this model.');
  if (type === 'enabled') {
    const budget = body.thinking?.budget_tokens ?? 0;
    if (budget < 1024)
      return invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (budget >= body.max_tokens)
      return invalid('`max_tokens` must be greater than `thinking.budget_tokens`.');
  }
  const forced = body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool';
  if (forced && traits.rejectsForcedToolChoice)
    return invalid('tool_choice: forcing tool use is not supported for this model. Use "auto".');
  if (forced && thinkingOf(body).on)
    return invalid('Thinking may not be enabled when tool_choice forces tool use.');
  return undefined;
}

function checkCacheBreakpoints(body: WireRequest): ApiRefusal | undefined {
  let count = (body.tools ?? []).filter((t) => t.cache_control).length;
  if (Array.isArray(body.system)) count += body.system.filter((b) => b.cache_control).length;
  for (const message of body.messages)
    if (Array.isArray(message.content)) count += message.content.filter((b) => b.cache_control).length;
  return count > 4
    ? invalid(`A maximum of 4 blocks with cache_control may be provided. Found ${count}.`)
    : undefined;
}

function checkConversation(body: WireRequest, produced: Produced): ApiRefusal | undefined {
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0)
    return invalid('messages: at least one message is required');
  if (messages[0]!.role !== 'user')
    return invalid('messages.0.role: the first message must use the "user" role');
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (i > 0 && message.role === messages[i - 1]!.role)
      return invalid(`messages.${i}: roles must alternate between "user" and "assistant"`);
    const blocks = blocksOf(message);
    const empty = blocks.findIndex((b) => b.type === 'text' && !b.text);
    if (empty >= 0)
      return invalid(`messages.${i}.content.${empty}.text: text content blocks must be non-empty`);
    const called =
      message.role === 'assistant' ? blocks.filter((b) => b.type === 'tool_use').map((b) => b.id!) : [];
    const previous = i > 0 && messages[i - 1]!.role === 'assistant' ? blocksOf(messages[i - 1]!) : [];
    const stray = strayResult(
      message,
      i,
      new Set(previous.filter((b) => b.type === 'tool_use').map((b) => b.id!)),
    );
    if (stray) return stray;
    if (called.length > 0) {
      const next = messages[i + 1];
      // A stray result in the next message is the error the API names first.
      const stray = next ? strayResult(next, i + 1, new Set(called)) : undefined;
      if (stray) return stray;
      const answered = new Set(
        next
          ? blocksOf(next)
              .filter((b) => b.type === 'tool_result')
              .map((b) => b.tool_use_id)
          : [],
      );
      const missing = called.filter((id) => !answered.has(id));
      if (missing.length > 0 && !(i === messages.length - 1 && endsPaused(blocks, produced)))
        return invalid(
          `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
    }
  }
  const last = messages[messages.length - 1]!;
  if (
    last.role === 'assistant' &&
    modelTraits(body.model).rejectsPrefill &&
    !endsPaused(blocksOf(last), produced)
  )
    return invalid(
      'This model does not support assistant message prefill. The conversation must end with a user message.',
    );
  return undefined;
}

function checkThinkingBlocks(
  body: WireRequest,
  produced: Produced,
  volatile?: VolatileText[],
): ApiRefusal | undefined {
  const { messages } = body;
  // The final assistant turn that called tools must come back with the thinking it was produced with.
  const finalToolTurn = [...messages.keys()]
    .reverse()
    .find(
      (i) => messages[i]!.role === 'assistant' && blocksOf(messages[i]!).some((b) => b.type === 'tool_use'),
    );
  for (let i = 0; i < messages.length; i++) {
    if (messages[i]!.role !== 'assistant') continue;
    const blocks = blocksOf(messages[i]!);
    const prefix = prefixHash(body, i, volatile);
    for (const [j, block] of blocks.entries()) {
      if (block.type !== 'thinking' && block.type !== 'redacted_thinking') continue;
      const key = block.type === 'thinking' ? block.signature : block.data;
      const known = key === undefined ? undefined : produced.signatures.get(key);
      if (!known || (block.type === 'thinking' && known.thinking !== block.thinking))
        return invalid(`messages.${i}.content.${j}: Invalid \`signature\` in \`${block.type}\` block`);
      if (known.prefix !== prefix)
        return invalid(
          `messages.${i}.content.${j}: The block is bound to a different conversation: the system prompt, tools or earlier messages changed since it was produced. Send assistant turns back exactly as the API returned them.`,
        );
    }
    const firstCall = blocks.find((b) => b.type === 'tool_use');
    const expected = firstCall?.id === undefined ? undefined : produced.thinkingOfToolUse.get(firstCall.id);
    if (!expected || expected.length === 0) continue;
    const sent = blocks.flatMap((b) =>
      b.type === 'thinking' ? [b.signature!] : b.type === 'redacted_thinking' ? [b.data!] : [],
    );
    // The call's own thinking, in order; a continued (paused) turn may carry more before it.
    if (isSubsequence(expected, sent)) continue;
    if (i === finalToolTurn)
      return invalid(
        `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${blocks[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`.`,
      );
    return invalid(
      `messages.${i}: The thinking blocks of this assistant turn were removed or reordered; later thinking blocks are bound to the conversation as it was produced. Send assistant turns back exactly as the API returned them.`,
    );
  }
  return undefined;
}

function isSubsequence(wanted: string[], within: string[]): boolean {
  let at = 0;
  for (const item of within) if (item === wanted[at]) at += 1;
  return at === wanted.length;
}

function strayResult(message: WireMessage, i: number, expected: Set<string>): ApiRefusal | undefined {
  for (const [j, block] of blocksOf(message).entries())
    if (block.type === 'tool_result' && !expected.has(block.tool_use_id!))
      return invalid(
        `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
      );
  return undefined;
}

/** A trailing assistant turn is a continuation when it ends with content the fake paused on. */
function endsPaused(blocks: WireBlock[], produced: Produced): boolean {
  for (let k = 0; k < blocks.length; k++) if (produced.paused.has(contentKey(blocks.slice(k)))) return true;
  return false;
}

/** Identifies an assistant content (cache_control aside) the fake produced. */
export const contentKey = (blocks: WireBlock[]): string => JSON.stringify(normalize(blocks, []));
