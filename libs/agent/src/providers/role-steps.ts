// What every provider's role loop does around one model call, so the loops differ only in their
// wire formats: before the call, a specialist out of steps or budget stops with what it found and
// the commander out of steps ends the turn; after it, the call's tokens and cost count against the
// turn.
import { LimitExceededError } from '../limits';
import { type RoleDefinition } from '../roles/types';
import { type ToolContext } from '../tools/context';
import { costUsd, type TokenCounts, weightedInputTokens } from './pricing';
import { partialAnswer, type RoleOutcome } from './tool-calls';
import { type ProviderContext } from './types';

/**
 * Counts the role's next call against the turn, or says why there is none: a specialist's partial
 * outcome to return (said in the stream and as a blind spot), or a LimitExceededError for the
 * commander.
 */
export async function startStep(
  role: RoleDefinition,
  step: { done: number; max: number },
  ctx: ProviderContext,
  tools: ToolContext,
  said: string[],
): Promise<RoleOutcome | undefined> {
  if (role.id !== 'commander' && (step.done >= step.max || !ctx.budget.specialistMayCall())) {
    const why = step.done >= step.max ? `its ${step.max} steps` : 'the turn budget';
    await tools.emitter.thought(
      `The ${role.title} stopped at ${why} before concluding; returning what it found.`,
    );
    tools.turn.blindSpot(`The ${role.title} stopped at ${why} before it concluded.`);
    return { text: partialAnswer(role, why, said), partial: true };
  }
  if (role.id === 'commander' && step.done >= step.max)
    throw new LimitExceededError(
      'error_max_turns',
      `Stopped after the commander's ${step.max} steps without a conclusion (limit per role).`,
    );
  ctx.budget.startTurn();
  return undefined;
}

/** One call's usage against the turn's budget, priced for the model. */
export function countUsage(ctx: ProviderContext, model: string, usage: TokenCounts): void {
  ctx.budget.addUsage({
    ...usage,
    costUsd: costUsd(model, usage),
    weightedInputTokens: weightedInputTokens(model, usage),
  });
}
