// The one interface both model providers implement. A provider runs one turn of the conversation:
// it walks the roles, calls tools through the registry (which emits tool_start/tool_end), emits its
// thoughts, and returns its final words. The engine (engine.ts) owns limits, fallback and `result`.
import { type ExecuteRequest, type GenericAlert, type HistoryTurn } from '@foxhound/contracts';
import { type TurnBudget, type TurnLimits } from '../limits';
import { type SkillLibrary } from '../skills/library';
import { type ToolContext } from '../tools/context';
import { type ToolRegistry } from '../tools/registry';

export interface TurnRequest {
  threadId: string;
  prompt: string;
  alert?: GenericAlert;
  context?: ExecuteRequest['context'];
  /** Earlier exchanges on the thread, oldest first. */
  history: HistoryTurn[];
}

export interface ProviderContext {
  registry: ToolRegistry;
  /**
   * Drops any later event of a tool call the provider gave up on (a timeout), so the stream shows
   * the provider's tool_end once and not a late one from the still-running tool. Optional: a
   * provider without tool timeouts never calls it.
   */
  closeToolEvents?: (toolUseId: string) => void;
  /** The commander's tool context; subagents derive theirs from it. */
  tools: ToolContext;
  budget: TurnBudget;
  skills: SkillLibrary;
  /** The turn's limits (per-role steps, tool timeout); DEFAULT_LIMITS when absent. */
  limits?: TurnLimits;
}

export interface ProviderOutcome {
  /** The provider's final words for the turn (markdown). */
  text: string;
  /** Some part of the turn stopped before concluding (a specialist out of steps): the report is partial. */
  partial?: boolean;
}

export interface ModelProvider {
  readonly name: 'anthropic' | 'openai' | 'offline';
  /** The model id reported in `result.model`. */
  readonly model: string;
  runTurn(request: TurnRequest, ctx: ProviderContext): Promise<ProviderOutcome>;
}

/** The model API failed for good (retries exhausted, or an error no retry can fix). */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    message: string,
    /** The HTTP status or API error type, for logs and metrics. */
    readonly kind: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type ModelStopSubtype = 'error_refusal' | 'error_truncated' | 'error_context_window' | 'error_paused';

/** The model stopped in a way the turn cannot carry on from (a refusal, a cut, a full context window). */
export class ModelStopError extends Error {
  override readonly name = 'ModelStopError';
  constructor(
    readonly subtype: ModelStopSubtype,
    message: string,
  ) {
    super(message);
  }
}
