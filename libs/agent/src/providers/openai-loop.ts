// One role's tool-use loop over the Chat Completions API, for OpenAI and the servers that speak its
// dialect (vLLM, Ollama, LiteLLM, Azure OpenAI). The same shape as Claude's loop (steps per role,
// the turn's budget, one nudge to conclude, specialists returning partial findings), plus the guard
// small local models need: the same call with the same arguments, asked for again and again, ends
// the role as a model failure (a ProviderError, so EXECUTOR_FALLBACK can hand the turn to the
// offline engine) instead of spending the budget on a loop.
import { type ChatCompletionMessageParam, type ChatCompletionTool } from 'openai/resources/chat/completions';
import { type RoleDefinition } from '../roles/types';
import { type ToolContext } from '../tools/context';
import { type ChatAnswer } from './openai-stream';
import { concludeNow, systemPrompt } from './prompt';
import { countUsage, startStep } from './role-steps';
import { answerToolUse, type RoleOutcome, type ToolAnswer, type ToolCallDeps, toolSpecs } from './tool-calls';
import { ModelStopError, ProviderError } from './types';

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  maxTokens: number;
}

export interface ChatLoopDeps extends ToolCallDeps {
  model: string;
  maxTokensPerCall: number;
  /** Asking for one call with the same arguments this many times ends the role as a looping model. */
  maxIdenticalCalls: number;
  maxSteps(role: RoleDefinition): number;
  call(request: ChatRequest, tools: ToolContext): Promise<ChatAnswer>;
}

/** Ceiling of one call's output tokens when a cut answer is asked again. */
const MAX_OUTPUT_TOKENS = 32_000;

/** `messages` holds the conversation so far without a system message; the role's prompt is put first. */
export async function runChatRole(
  role: RoleDefinition,
  conversation: ChatCompletionMessageParam[],
  tools: ToolContext,
  deps: ChatLoopDeps,
): Promise<RoleOutcome> {
  const { ctx } = deps;
  const isCommander = role.id === 'commander';
  const maxSteps = deps.maxSteps(role);
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: systemPrompt(role, ctx.registry, ctx.skills) },
    ...conversation,
  ];
  const offered: ChatCompletionTool[] = toolSpecs(role, ctx.registry).map((spec) => ({
    type: 'function',
    function: { name: spec.name, description: spec.description, parameters: spec.schema },
  }));
  const asked = new Map<string, number>();
  const said: string[] = [];
  let lastText = '';
  let steps = 0;
  let nudged = false;
  let cut = false;
  for (;;) {
    const stopped = await startStep(role, { done: steps, max: maxSteps }, ctx, tools, said);
    if (stopped) return stopped;
    steps += 1;
    const room = Math.max(1, Math.min(deps.maxTokensPerCall, ctx.budget.tokensLeft));
    const maxTokens = cut ? Math.min(MAX_OUTPUT_TOKENS, room * 2) : room;
    const answer = await deps.call({ messages, tools: offered, maxTokens }, tools);
    countUsage(ctx, deps.model, answer.usage);

    if (answer.refusal || answer.finishReason === 'content_filter')
      throw new ModelStopError(
        'error_refusal',
        `The model declined to continue the ${role.title}'s work (${answer.refusal ? `refusal: ${answer.refusal.slice(0, 300)}` : 'finish_reason content_filter'}).`,
      );
    if (answer.finishReason === 'length' && answer.toolUses.length === 0) {
      if (cut)
        throw new ModelStopError(
          'error_truncated',
          `The ${role.title}'s answer was cut at its token limit (${maxTokens}) twice; the turn cannot continue from a cut answer.`,
        );
      cut = true;
      await tools.emitter.thought(
        `The ${role.title}'s answer was cut at ${maxTokens} tokens; asking again with more room.`,
      );
      continue;
    }
    cut = false;

    for (const words of [answer.reasoning, answer.text]) if (words) await tools.emitter.thought(words);
    messages.push(answer.message);
    if (answer.text) {
      said.push(answer.text);
      lastText = answer.text;
    }
    if (answer.toolUses.length === 0) return { text: lastText, partial: false };

    for (const use of answer.toolUses) {
      const key = deps.memo.key(use);
      if (key === undefined) continue;
      const times = (asked.get(key) ?? 0) + 1;
      asked.set(key, times);
      if (times >= deps.maxIdenticalCalls)
        throw new ProviderError(
          `The model (${deps.model}) asked for ${use.name} with the same arguments ${times} times in one ${role.title} run: it is looping, so the turn was stopped.`,
          'looping',
        );
    }
    const answers = await Promise.all(answer.toolUses.map((use) => answerToolUse(role, use, tools, deps)));
    messages.push(...answers.map(toolMessage));
    const near =
      ctx.budget.nearLimit() ?? (steps >= maxSteps - 1 ? `step ${steps} of ${maxSteps}` : undefined);
    if (near !== undefined && !nudged) {
      nudged = true;
      await tools.emitter.thought(`Asking the ${role.title} to conclude: ${near}.`);
      messages.push({ role: 'user', content: concludeNow(near, isCommander) });
    }
  }
}

/** A tool answer as the API takes it; the dialect has no error flag, so a failed call says so first. */
function toolMessage(answer: ToolAnswer): ChatCompletionMessageParam {
  return {
    role: 'tool',
    tool_call_id: answer.toolUseId,
    content: answer.isError ? `The call failed.\n${answer.content}` : answer.content,
  };
}
