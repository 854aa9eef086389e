// One tool call of a model's role, as the model sees it answered, the same for every provider: a
// specialist (a subagent run), an identical earlier call (answered from memory, with a nudge once it
// repeats), or a registry tool bounded by a wall-clock timeout. Every answer travels in the
// <tool_output> envelope; each provider puts the answer into its own wire shape.
import { z } from 'zod';
import { SUBAGENT_ROLES } from '../roles/roles';
import { type RoleDefinition } from '../roles/types';
import { type ToolContext } from '../tools/context';
import { type ToolRegistry } from '../tools/registry';
import { truncateOutput } from '../tools/truncate';
import { specialistBrief, toolOutputEnvelope } from './prompt';
import { type ProviderContext } from './types';

/** A tool call as a model asked for it. */
export interface ToolUse {
  id: string;
  name: string;
  input: unknown;
  /** Set when the streamed input was not valid JSON. */
  inputError?: string;
}

/** A tool call answered: the enveloped text the model reads, and whether the call failed. */
export interface ToolAnswer {
  toolUseId: string;
  content: string;
  isError: boolean;
}

/** A tool as a model is offered it: its JSON schema, which each provider wraps in its own shape. */
export interface ToolSpec {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

/** What a role's run came to, for any provider. */
export interface RoleOutcome {
  text: string;
  /** The role stopped at its step budget before it concluded. */
  partial: boolean;
}

export const DelegationSchema = z.object({
  task: z
    .string()
    .min(1)
    .max(4000)
    .describe('What to find out, naming namespaces and objects; the specialist sees nothing else.'),
});

/** Calls with effects on the turn (a report, a proposal) are never answered from memory. */
const NEVER_MEMOISED = new Set(['submit_report', 'propose_action']);

interface Answer {
  text: string;
  isError: boolean;
}

/** The turn's earlier tool answers by tool and input, shared by every role. */
export class CallMemo {
  private readonly answers = new Map<string, { answer: Promise<Answer>; repeats: number }>();

  key(use: ToolUse): string | undefined {
    if (NEVER_MEMOISED.has(use.name) || use.inputError !== undefined) return undefined;
    return `${use.name}\u0000${stableJson(use.input)}`;
  }

  lookup(key: string): { answer: Promise<Answer>; repeats: number } | undefined {
    const hit = this.answers.get(key);
    if (hit) hit.repeats += 1;
    return hit;
  }

  store(key: string, answer: Promise<Answer>): void {
    this.answers.set(key, { answer, repeats: 0 });
  }
}

export type SubagentRunner = (
  role: RoleDefinition,
  use: ToolUse,
  task: string,
  tools: ToolContext,
) => Promise<ToolAnswer>;

export interface ToolCallDeps {
  ctx: ProviderContext;
  memo: CallMemo;
  toolTimeoutMs: number;
  runSubagent: SubagentRunner;
}

export async function answerToolUse(
  role: RoleDefinition,
  use: ToolUse,
  tools: ToolContext,
  deps: ToolCallDeps,
): Promise<ToolAnswer> {
  const subagent = role.id === 'commander' ? SUBAGENT_ROLES[use.name] : undefined;
  if (subagent) {
    const parsed = DelegationSchema.safeParse(use.input);
    if (use.inputError === undefined && parsed.success)
      return deps.runSubagent(subagent, use, parsed.data.task, tools);
    const problem =
      use.inputError ??
      parsed.error?.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return rejectDelegation(use, `Invalid input for ${use.name}: ${problem}. Send {"task": "..."}.`, tools);
  }
  const key = deps.memo.key(use);
  const earlier = key === undefined ? undefined : deps.memo.lookup(key);
  if (earlier) return fromMemory(use, earlier.answer, earlier.repeats, tools);
  const answer = invokeWithTimeout(role, use, tools, deps);
  if (key !== undefined)
    deps.memo.store(
      key,
      answer.then((a) => a.answer),
    );
  const { answer: result } = await answer;
  return toolResult(use, result);
}

async function invokeWithTimeout(
  role: RoleDefinition,
  use: ToolUse,
  tools: ToolContext,
  deps: ToolCallDeps,
): Promise<{ answer: Answer }> {
  const invocation = deps.ctx.registry
    .invoke({ name: use.name, input: use.input, toolUseId: use.id, role, inputError: use.inputError }, tools)
    .then((o) => ({ text: o.text, isError: o.status === 'error' || o.status === 'refused' }));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deps.toolTimeoutMs);
  });
  try {
    const answer = await Promise.race([invocation, timedOut]);
    if (answer) return { answer };
  } finally {
    clearTimeout(timer);
  }
  const message = `${use.name} did not answer within ${Math.round(deps.toolTimeoutMs / 1000)} s and was abandoned. Narrow the request (one namespace, one object, fewer lines) or use another tool.`;
  // Emitting reaches the sink synchronously; closing right after drops the tool's own late tool_end.
  const ended = tools.emitter.toolEnd({
    name: use.name,
    tool_use_id: use.id,
    success: false,
    status: 'error',
    summary: `${use.name} timed out`,
    output: message,
    error: message,
  });
  deps.ctx.closeToolEvents?.(use.id);
  await ended;
  return { answer: { text: message, isError: true } };
}

async function fromMemory(
  use: ToolUse,
  earlier: Promise<Answer>,
  repeats: number,
  tools: ToolContext,
): Promise<ToolAnswer> {
  const answer = await earlier;
  const nudge =
    repeats >= 2
      ? ` You have made this exact call ${repeats + 1} times; the answer will not change. Use what you have, read something else, or conclude.`
      : '';
  const text = `(The same call as earlier in this turn; the earlier answer follows.${nudge})\n${answer.text}`;
  await tools.emitter.toolStart({
    name: use.name,
    tool_use_id: use.id,
    input: (use.input ?? {}) as Record<string, unknown>,
    summary: `${use.name} (repeated call, answered from the earlier result)`,
  });
  await tools.emitter.toolEnd({
    name: use.name,
    tool_use_id: use.id,
    success: !answer.isError,
    status: answer.isError ? 'error' : 'success',
    summary: `Answered from the earlier identical ${use.name} call`,
    output: text,
  });
  return toolResult(use, { text, isError: answer.isError });
}

export function toolResult(use: ToolUse, answer: Answer): ToolAnswer {
  return { toolUseId: use.id, content: toolOutputEnvelope(use.name, answer.text), isError: answer.isError };
}

async function rejectDelegation(use: ToolUse, message: string, tools: ToolContext): Promise<ToolAnswer> {
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
  return toolResult(use, { text: message, isError: true });
}

/** The role's tools in its allow-list order: enabled registry tools, and for the commander its specialists. */
export function toolSpecs(role: RoleDefinition, registry: ToolRegistry): ToolSpec[] {
  const enabled = new Map(registry.toolsFor(role).map((t) => [t.name, t]));
  return registry.allowedNames(role).flatMap((name): ToolSpec[] => {
    const sub = role.id === 'commander' ? SUBAGENT_ROLES[name] : undefined;
    if (sub) return [{ name, description: sub.description, schema: inputSchema(DelegationSchema) }];
    const tool = enabled.get(name);
    return tool ? [{ name, description: tool.description, schema: inputSchema(tool.params) }] : [];
  });
}

function inputSchema(params: z.ZodObject): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(params, { io: 'input' }) as Record<string, unknown>;
  return schema;
}

/** A specialist's answer is bounded like any tool output before it reaches the commander. */
const SUBAGENT_ANSWER_BUDGET = 8_000;

/**
 * A specialist run as one of the commander's tool calls: announced with tool_start, run on a child
 * emitter (its events carry the commander's call id), its answer bounded and announced with tool_end.
 * `run` is the provider's own role loop.
 */
export async function delegate(
  role: RoleDefinition,
  use: ToolUse,
  task: string,
  tools: ToolContext,
  run: (brief: string, child: ToolContext) => Promise<RoleOutcome>,
): Promise<{ answer: ToolAnswer; partial: boolean }> {
  const summary = `Asking the ${role.title}: ${task.length > 160 ? `${task.slice(0, 160)}…` : task}`;
  await tools.emitter.toolStart({
    name: use.name,
    tool_use_id: use.id,
    input: { task: task.slice(0, 200) },
    summary,
  });
  const child: ToolContext = { ...tools, emitter: tools.emitter.child(role.id, use.id) };
  const outcome = await run(specialistBrief(task, tools.turn.scope, tools.now()), child);
  const bounded = truncateOutput(outcome.text || `The ${role.title} gave no answer.`, SUBAGENT_ANSWER_BUDGET);
  await tools.emitter.toolEnd({
    name: use.name,
    tool_use_id: use.id,
    success: true,
    status: 'success',
    summary: outcome.partial
      ? `The ${role.title} ran out of budget; partial findings`
      : `The ${role.title} answered`,
    output: bounded.text,
    ...(bounded.cut === undefined ? {} : { truncated: bounded.cut }),
  });
  return { answer: toolResult(use, { text: bounded.text, isError: false }), partial: outcome.partial };
}

/** What a role had said when it stopped short, handed back as its (partial) answer. */
export function partialAnswer(role: RoleDefinition, why: string, said: string[]): string {
  const notes = said.slice(-4).join('\n\n').trim();
  return `PARTIAL: the ${role.title} stopped at ${why} before concluding. What it had found so far:\n\n${notes || '(nothing yet)'}`;
}

/** JSON with object keys sorted, so {a,b} and {b,a} are the same call. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
