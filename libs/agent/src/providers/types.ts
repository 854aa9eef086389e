// The one interface both model providers implement. A provider runs one turn of the conversation:
// it walks the roles, calls tools through the registry (which emits tool_start/tool_end), emits its
// thoughts, and returns its final words. The engine (engine.ts) owns limits, fallback and `result`.
import { type ExecuteRequest, type GenericAlert, type HistoryTurn } from '@foxhound/contracts';
import { type TurnBudget } from '../limits';
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
  /** The commander's tool context; subagents derive theirs from it. */
  tools: ToolContext;
  budget: TurnBudget;
  skills: SkillLibrary;
}

export interface ProviderOutcome {
  /** The provider's final words for the turn (markdown). */
  text: string;
}

export interface ModelProvider {
  readonly name: 'anthropic' | 'offline';
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
