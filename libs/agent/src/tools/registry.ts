// The one way a tool runs, whoever calls it (Claude's commander, a subagent, the offline engine):
// it checks the role's allow-list (refusal visible in the stream), the toolset's prerequisites, the
// parameters (an invalid call gets an error naming the field and the valid choices), runs the tool,
// maps read failures (403 → blind spot), redacts and bounds the output, and emits tool_start / tool_end.
import { type z } from 'zod';
import { createRedactor, type Redactor } from '@foxhound/service-kit';
import { ClusterReadError, isForbidden } from '../cluster/reader';
import { type RoleDefinition, type RoleId } from '../roles/types';
import { type ToolContext } from './context';
import { type AnyTool, type ToolResult, type ToolResultStatus } from './define';
import { truncateOutput } from './truncate';

export interface Toolset {
  /** `integration/area`, e.g. `kubernetes/core`. */
  name: string;
  description: string;
  /** Prompt text added for a role only when this toolset is enabled and gives the role a tool. */
  instructions?: string;
  tools: AnyTool[];
  /** Checked once at startup; throwing marks the toolset failed with the error as the reason. */
  prerequisite?: () => Promise<void>;
  /** Set when the configuration leaves this toolset off (e.g. no PROMETHEUS_URL). */
  disabledReason?: string;
  /**
   * Roles that may call this toolset's tools beyond their own allow-lists: for toolsets the operator
   * configures (an MCP server's tools), which no role's built-in list can name.
   */
  grants?: readonly RoleId[];
}

export interface ToolsetStatus {
  name: string;
  status: 'enabled' | 'disabled' | 'failed';
  reason?: string;
  tools: string[];
}

export interface ToolCall {
  name: string;
  input: unknown;
  toolUseId: string;
  role: RoleDefinition;
  /** Set by a provider when the model's input could not be parsed at all (malformed JSON). */
  inputError?: string;
}

export interface ToolOutcome<D = unknown> {
  status: ToolResultStatus;
  /** The text returned to the model: output, or the error, bounded. */
  text: string;
  /** The one human line tool_end carried. */
  summary: string;
  data?: D;
}

export interface RegistryOptions {
  /** Default output bound per call, in characters (about 4 characters a token). */
  outputBudget?: number;
  /** Prerequisite checks give up after this long. */
  prerequisiteTimeoutMs?: number;
  /** Observes each call (metrics). */
  onCall?: (call: { tool: string; status: ToolResultStatus; durationMs: number }) => void;
  /** Secrets out of tool output before it reaches the model or the stream; built-in patterns when unset. */
  redactor?: Redactor;
}

const DEFAULT_REDACTOR = createRedactor();

const DEFAULT_OUTPUT_BUDGET = 16_000;
const INPUT_ECHO_CHARS = 200;

interface Entry {
  tool: AnyTool;
  toolset: Toolset;
  status: ToolsetStatus;
}

export class ToolRegistry {
  private constructor(
    private readonly entries: Map<string, Entry>,
    readonly statuses: ToolsetStatus[],
    private readonly options: RegistryOptions,
  ) {}

  /** Checks prerequisites (in the given order: cheapest first) and indexes the tools. */
  static async create(toolsets: Toolset[], options: RegistryOptions = {}): Promise<ToolRegistry> {
    const entries = new Map<string, Entry>();
    const statuses: ToolsetStatus[] = [];
    for (const toolset of toolsets) {
      const status = await checkToolset(toolset, options.prerequisiteTimeoutMs ?? 5_000);
      statuses.push(status);
      for (const tool of toolset.tools) {
        if (entries.has(tool.name)) throw new Error(`Tool "${tool.name}" is defined by two toolsets.`);
        entries.set(tool.name, { tool, toolset, status });
      }
    }
    return new ToolRegistry(entries, statuses, options);
  }

  get(name: string): AnyTool | undefined {
    return this.entries.get(name)?.tool;
  }

  /** The names a role may call: its allow-list, then the tools of toolsets granted to it. */
  allowedNames(role: RoleDefinition): string[] {
    const granted = [...this.entries.values()]
      .filter((e) => e.toolset.grants?.includes(role.id) && !role.tools.includes(e.tool.name))
      .map((e) => e.tool.name);
    return [...role.tools, ...granted];
  }

  /** The enabled tools a role may call, in its allow-list order. */
  toolsFor(role: RoleDefinition): AnyTool[] {
    return this.allowedNames(role)
      .map((name) => this.entries.get(name))
      .filter((e): e is Entry => e !== undefined && e.status.status === 'enabled')
      .map((e) => e.tool);
  }

  /** Instructions of the enabled toolsets that give this role at least one tool. */
  instructionsFor(role: RoleDefinition): string[] {
    const seen = new Set<Toolset>();
    for (const tool of this.toolsFor(role)) seen.add(this.entries.get(tool.name)!.toolset);
    return [...seen].flatMap((t) => (t.instructions ? [t.instructions.trim()] : []));
  }

  async invoke<D = unknown>(call: ToolCall, ctx: ToolContext): Promise<ToolOutcome<D>> {
    const entry = this.entries.get(call.name);
    const summary = entry ? describeCall(entry.tool, call.input) : `Unknown tool ${call.name}`;
    await ctx.emitter.toolStart({
      name: call.name,
      tool_use_id: call.toolUseId,
      input: echoInput(call.input),
      summary,
    });
    const started = Date.now();
    const result = ctx.signal.aborted ? cancelled() : await this.run(entry, call, ctx);
    const endSummary = result.summary ?? summary;
    const budget = entry?.tool.outputBudget ?? this.options.outputBudget ?? DEFAULT_OUTPUT_BUDGET;
    const redact = this.options.redactor ?? DEFAULT_REDACTOR;
    const bounded = truncateOutput(redact.text(result.output), budget, entry?.tool.keep ?? 'head');
    // Metrics label only names the registry knows: a model can make up any name.
    this.options.onCall?.({
      tool: entry ? call.name : 'unknown',
      status: result.status,
      durationMs: Date.now() - started,
    });
    await ctx.emitter.toolEnd({
      name: call.name,
      tool_use_id: call.toolUseId,
      success: result.status === 'success' || result.status === 'no_data',
      status: result.status,
      summary: endSummary,
      output: bounded.text,
      ...(result.error === undefined ? {} : { error: redact.text(result.error) }),
      ...(bounded.cut === undefined ? {} : { truncated: bounded.cut }),
    });
    // The call is closed in the stream (tool_end above) before the turn unwinds.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    return {
      status: result.status,
      text: bounded.text,
      summary: endSummary,
      data: result.data as D | undefined,
    };
  }

  private async run(entry: Entry | undefined, call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    const names = this.allowedNames(call.role);
    const allowed = names.filter((name) => this.entries.get(name)?.status.status === 'enabled');
    if (!names.includes(call.name)) {
      return rejection(
        'refused',
        `The ${call.role.title} may not call ${call.name}; it is outside this role's tool list (${allowed.join(', ')}).`,
      );
    }
    if (!entry) {
      return rejection(
        'error',
        `There is no tool named "${call.name}". Tools you can call: ${allowed.join(', ')}.`,
      );
    }
    if (entry.status.status !== 'enabled') {
      return rejection(
        'error',
        `${call.name} is unavailable: ${entry.status.reason ?? entry.status.status}.`,
      );
    }
    if (call.inputError !== undefined) {
      return rejection(
        'error',
        `The input for ${call.name} could not be read (${call.inputError}). Send the call again with a JSON object matching its schema.`,
      );
    }
    const parsed = entry.tool.params.safeParse(call.input ?? {});
    if (!parsed.success) return rejection('error', invalidInput(call.name, parsed.error, entry.tool.params));
    try {
      return await entry.tool.run(parsed.data, ctx);
    } catch (err) {
      if (ctx.signal.aborted) return cancelled();
      if (isForbidden(err)) {
        ctx.turn.blindSpot(`${err.what} (forbidden for the executor's read-only ServiceAccount)`);
        return rejection(
          'error',
          `Not permitted: ${err.what}. The executor's ServiceAccount is read-only and cannot read this; continue without it.`,
        );
      }
      const message =
        err instanceof ClusterReadError ? err.message : `${call.name} failed: ${errorText(err)}`;
      return rejection('error', message);
    }
  }
}

async function checkToolset(toolset: Toolset, timeoutMs: number): Promise<ToolsetStatus> {
  const tools = toolset.tools.map((t) => t.name);
  if (toolset.disabledReason !== undefined) {
    return { name: toolset.name, status: 'disabled', reason: toolset.disabledReason, tools };
  }
  if (!toolset.prerequisite) return { name: toolset.name, status: 'enabled', tools };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      toolset.prerequisite(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name: toolset.name, status: 'enabled', tools };
  } catch (err) {
    return { name: toolset.name, status: 'failed', reason: errorText(err), tools };
  } finally {
    clearTimeout(timer);
  }
}

function rejection(status: 'refused' | 'error', message: string): ToolResult {
  return { status, output: message, error: message, summary: message };
}

const cancelled = (): ToolResult => rejection('error', 'Stopped before finishing: the turn was interrupted.');

function describeCall(tool: AnyTool, input: unknown): string {
  const parsed = tool.params.safeParse(input ?? {});
  if (!parsed.success) return `${tool.name} (invalid input)`;
  try {
    return tool.summary(parsed.data);
  } catch {
    return tool.name;
  }
}

function invalidInput(name: string, error: z.ZodError, params: z.ZodObject): string {
  const problems = error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`);
  const fields = Object.entries(params.shape).map(([key, schema]) => {
    const optional = (schema as z.ZodType).safeParse(undefined).success;
    return `${key}${optional ? '?' : ''}`;
  });
  return `Invalid input for ${name}: ${problems.join('; ')}. Parameters: ${fields.join(', ')}.`;
}

/** The input as tool_start shows it: long strings clipped, so a pasted log cannot flood the stream. */
function echoInput(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return {};
  return JSON.parse(
    JSON.stringify(input, (_key, value: unknown) =>
      typeof value === 'string' && value.length > INPUT_ECHO_CHARS
        ? `${value.slice(0, INPUT_ECHO_CHARS)}…`
        : value,
    ),
  ) as Record<string, unknown>;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
