// One Claude role's tool-use loop: call the model, read its stop reason, run the tool calls of one
// answer concurrently (results go back in the order the model asked), and end well. A cut answer
// (max_tokens) is asked again once with room to finish; a paused turn is sent back as it is; a
// refusal or a full context window ends the turn with its own subtype. Near a limit the role is
// told once to conclude; a specialist that still runs out of steps returns what it found so far.
import {
  type ContentBlockParam,
  type MessageParam,
  type TextBlockParam,
  type Tool,
  type ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { type RoleDefinition } from '../roles/types';
import { type ToolContext } from '../tools/context';
import { type AssistantMessage } from './anthropic-stream';
import { answerToolUse, type RoleOutcome, type ToolAnswer, type ToolCallDeps, toolSpecs } from './tool-calls';
import { concludeNow, systemPrompt } from './prompt';
import { countUsage, startStep } from './role-steps';
import { ModelStopError } from './types';

/** Consecutive pause_turn continuations before the turn is given up as paused. */
const MAX_PAUSES = 3;
/** Ceiling of one call's max_tokens when a cut answer is asked again (the 5.x output limit). */
const MAX_OUTPUT_TOKENS = 128_000;

export interface ModelRequest {
  system: string;
  tools: Tool[];
  messages: MessageParam[];
  maxTokens: number;
}

export interface LoopDeps extends ToolCallDeps {
  model: string;
  maxTokensPerCall: number;
  maxSteps(role: RoleDefinition): number;
  call(request: ModelRequest, tools: ToolContext): Promise<AssistantMessage>;
}

export async function runRole(
  role: RoleDefinition,
  messages: MessageParam[],
  tools: ToolContext,
  deps: LoopDeps,
): Promise<RoleOutcome> {
  const { ctx } = deps;
  const isCommander = role.id === 'commander';
  const maxSteps = deps.maxSteps(role);
  const request = {
    system: systemPrompt(role, ctx.registry, ctx.skills),
    tools: toolSpecs(role, ctx.registry).map((spec): Tool => ({
      name: spec.name,
      description: spec.description,
      input_schema: spec.schema as Tool.InputSchema,
    })),
  };
  const said: string[] = [];
  let lastText = '';
  let steps = 0;
  let nudged = false;
  let cut = false;
  let pauses = 0;
  for (;;) {
    const stopped = await startStep(role, { done: steps, max: maxSteps }, ctx, tools, said);
    if (stopped) return stopped;
    steps += 1;
    const room = Math.max(1, Math.min(deps.maxTokensPerCall, ctx.budget.tokensLeft));
    const maxTokens = cut ? Math.min(MAX_OUTPUT_TOKENS, room * 2) : room;
    const message = await deps.call({ ...request, messages, maxTokens }, tools);
    countUsage(ctx, deps.model, message.usage);

    switch (message.stopReason) {
      case 'max_tokens':
        if (cut)
          throw new ModelStopError(
            'error_truncated',
            `The ${role.title}'s answer was cut at max_tokens (${maxTokens}) twice; the turn cannot continue from a cut answer.`,
          );
        cut = true;
        await tools.emitter.thought(
          `The ${role.title}'s answer was cut at ${maxTokens} tokens; asking again with more room.`,
        );
        continue;
      case 'refusal':
        throw new ModelStopError(
          'error_refusal',
          `The model declined to continue the ${role.title}'s work (stop_reason refusal)${message.texts.length > 0 ? `: ${message.texts.join(' ').slice(0, 300)}` : '.'}`,
        );
      case 'model_context_window_exceeded':
        throw new ModelStopError(
          'error_context_window',
          `The ${role.title}'s conversation filled the model's context window (stop_reason model_context_window_exceeded).`,
        );
      case 'pause_turn':
        pauses += 1;
        if (pauses > MAX_PAUSES)
          throw new ModelStopError(
            'error_paused',
            `The API paused the ${role.title}'s turn ${pauses} times in a row.`,
          );
        appendAssistant(messages, message.content);
        continue;
      default:
        cut = false;
        pauses = 0;
    }

    appendAssistant(messages, message.content);
    said.push(...message.thoughts, ...message.texts);
    if (message.texts.length > 0) lastText = message.texts.join('\n\n');
    if (message.toolUses.length === 0) return { text: lastText, partial: false };

    const answers = await Promise.all(message.toolUses.map((use) => answerToolUse(role, use, tools, deps)));
    const content: (ToolResultBlockParam | TextBlockParam)[] = answers.map(toolResultBlock);
    const near =
      ctx.budget.nearLimit() ?? (steps >= maxSteps - 1 ? `step ${steps} of ${maxSteps}` : undefined);
    if (near !== undefined && !nudged) {
      nudged = true;
      await tools.emitter.thought(`Asking the ${role.title} to conclude: ${near}.`);
      content.push({ type: 'text', text: concludeNow(near, isCommander) });
    }
    messages.push({ role: 'user', content });
  }
}

/** An answer after a pause continues the paused assistant turn instead of starting a new one. */
function appendAssistant(messages: MessageParam[], content: ContentBlockParam[]): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant' && Array.isArray(last.content)) last.content = [...last.content, ...content];
  else messages.push({ role: 'assistant', content });
}

export function toolResultBlock(answer: ToolAnswer): ToolResultBlockParam {
  return {
    type: 'tool_result',
    tool_use_id: answer.toolUseId,
    content: answer.content,
    ...(answer.isError ? { is_error: true } : {}),
  };
}
