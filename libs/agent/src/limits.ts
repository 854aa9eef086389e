// The bounds of one turn: model calls, tokens, wall-clock, prompt size and each role's steps, and
// the budget object that counts against them. Crossing a bound throws a LimitExceededError whose
// subtype becomes the `result` event's subtype, so the client learns which limit stopped the turn
// and why. Before that, `nearLimit()` tells the Claude provider to ask for a conclusion, and
// specialists stop short of the last calls so the commander always has some left to report with.
import { type Usage } from '@foxhound/contracts';
import { type RoleId } from './roles/types';

export interface TurnLimits {
  /** Model calls (anthropic) or methodology steps (offline) per turn, subagents included. */
  maxTurns: number;
  /**
   * Tokens per turn, subagents included: output plus input, where cache writes and reads count at
   * their price relative to fresh input (a Sonnet 5.5 cache read weighs 0.05 of a token).
   */
  maxTokens: number;
  /** Wall-clock bound of a turn. */
  timeoutMs: number;
  /** Characters of prompt plus handed-in history. */
  maxPromptChars: number;
  /** Model calls of one run of a role (a specialist run, or the commander's loop). */
  maxStepsPerRole: Readonly<Record<RoleId, number>>;
  /** Wall-clock bound of one tool call; a slower tool answers the model with a timeout error. */
  toolTimeoutMs: number;
}

export const DEFAULT_LIMITS: TurnLimits = {
  maxTurns: 40,
  maxTokens: 400_000,
  timeoutMs: 300_000,
  maxPromptChars: 100_000,
  maxStepsPerRole: { commander: 20, investigator: 10, log_analyst: 10, remediator: 6 },
  toolTimeoutMs: 30_000,
};

/** Model calls kept back from specialists so the commander can still conclude. */
export const COMMANDER_RESERVE_TURNS = 3;
/** Shares of the token budget and of the wall-clock limit after which the commander is asked to conclude. */
const NEAR_TOKEN_SHARE = 0.8;
const NEAR_TIME_SHARE = 0.8;

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

/** One call's usage; `weightedInputTokens` is its input at cache prices (defaults to the raw sum). */
export type CallUsage = Omit<Usage, 'modelCalls'> & { weightedInputTokens?: number };

/** Counts one turn's model calls and tokens against its limits. */
export class TurnBudget {
  private turns = 0;
  private weighted = 0;
  private readonly started: number;
  readonly usage: Usage = emptyUsage();

  constructor(
    private readonly limits: Pick<TurnLimits, 'maxTurns' | 'maxTokens'> &
      Partial<Pick<TurnLimits, 'timeoutMs'>>,
    private readonly clock: () => number = Date.now,
  ) {
    this.started = clock();
  }

  get turnsUsed(): number {
    return this.turns;
  }

  get turnsLeft(): number {
    return Math.max(0, this.limits.maxTurns - this.turns);
  }

  /** Output plus cache-weighted input tokens so far. */
  get tokensUsed(): number {
    return Math.round(this.weighted);
  }

  get tokensLeft(): number {
    return Math.max(0, this.limits.maxTokens - this.tokensUsed);
  }

  /** Why the turn should conclude now (calls, tokens or time nearly spent), or undefined while there is room. */
  nearLimit(): string | undefined {
    if (this.turnsLeft <= COMMANDER_RESERVE_TURNS)
      return `${this.turnsLeft} of ${this.limits.maxTurns} model calls left`;
    if (this.tokensUsed >= this.limits.maxTokens * NEAR_TOKEN_SHARE)
      return `${this.tokensLeft} of ${this.limits.maxTokens} tokens left`;
    const { timeoutMs } = this.limits;
    const elapsed = this.clock() - this.started;
    if (timeoutMs !== undefined && elapsed >= timeoutMs * NEAR_TIME_SHARE)
      return `${Math.round((timeoutMs - elapsed) / 1000)} s of ${Math.round(timeoutMs / 1000)} s left`;
    return undefined;
  }

  /** Whether a specialist may make another call: it never takes the commander's reserve. */
  specialistMayCall(): boolean {
    return this.nearLimit() === undefined;
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
  addUsage(call: CallUsage): void {
    this.usage.inputTokens += call.inputTokens;
    this.usage.outputTokens += call.outputTokens;
    this.usage.cacheReadInputTokens += call.cacheReadInputTokens;
    this.usage.cacheCreationInputTokens += call.cacheCreationInputTokens;
    this.usage.costUsd += call.costUsd;
    this.usage.modelCalls += 1;
    this.weighted +=
      (call.weightedInputTokens ??
        call.inputTokens + call.cacheReadInputTokens + call.cacheCreationInputTokens) + call.outputTokens;
    if (this.tokensUsed > this.limits.maxTokens) {
      throw new LimitExceededError(
        'error_max_tokens',
        `Stopped after ${this.tokensUsed} tokens (cache reads weighted at their price): the limit per request is ${this.limits.maxTokens} (EXECUTOR_MAX_TOKENS).`,
      );
    }
  }
}
