// The bounds of one turn: model turns, tokens, wall-clock and prompt size, and the budget object
// that counts against them. Crossing a bound throws a LimitExceededError whose subtype becomes the
// `result` event's subtype, so the client learns which limit stopped the turn and why.
import { type Usage } from '@foxhound/contracts';

export interface TurnLimits {
  /** Model calls (anthropic) or methodology steps (offline) per turn, subagents included. */
  maxTurns: number;
  /** Input plus output tokens per turn, subagents included. */
  maxTokens: number;
  /** Wall-clock bound of a turn. */
  timeoutMs: number;
  /** Characters of prompt plus handed-in history. */
  maxPromptChars: number;
}

export const DEFAULT_LIMITS: TurnLimits = {
  maxTurns: 40,
  maxTokens: 400_000,
  timeoutMs: 300_000,
  maxPromptChars: 100_000,
};

export type LimitSubtype = 'error_max_turns' | 'error_max_tokens' | 'error_timeout';

export class LimitExceededError extends Error {
  override readonly name = 'LimitExceededError';
  constructor(
    readonly subtype: LimitSubtype,
    message: string,
  ) {
    super(message);
  }
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  costUsd: 0,
  modelCalls: 0,
});

/** Counts one turn's model calls and tokens against its limits. */
export class TurnBudget {
  private turns = 0;
  readonly usage: Usage = emptyUsage();

  constructor(private readonly limits: Pick<TurnLimits, 'maxTurns' | 'maxTokens'>) {}

  get turnsUsed(): number {
    return this.turns;
  }

  get tokensUsed(): number {
    const u = this.usage;
    return u.inputTokens + u.outputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens;
  }

  get tokensLeft(): number {
    return Math.max(0, this.limits.maxTokens - this.tokensUsed);
  }

  /** Call before each model call or methodology step. */
  startTurn(): void {
    if (this.turns >= this.limits.maxTurns) {
      throw new LimitExceededError(
        'error_max_turns',
        `Stopped after ${this.turns} model turns: the limit per request is ${this.limits.maxTurns} (EXECUTOR_MAX_TURNS).`,
      );
    }
    this.turns += 1;
  }

  /** Adds one model call's usage; throws once the token limit is crossed. */
  addUsage(call: Omit<Usage, 'modelCalls'>): void {
    this.usage.inputTokens += call.inputTokens;
    this.usage.outputTokens += call.outputTokens;
    this.usage.cacheReadInputTokens += call.cacheReadInputTokens;
    this.usage.cacheCreationInputTokens += call.cacheCreationInputTokens;
    this.usage.costUsd += call.costUsd;
    this.usage.modelCalls += 1;
    if (this.tokensUsed > this.limits.maxTokens) {
      throw new LimitExceededError(
        'error_max_tokens',
        `Stopped after ${this.tokensUsed} tokens: the limit per request is ${this.limits.maxTokens} (EXECUTOR_MAX_TOKENS).`,
      );
    }
  }
}
