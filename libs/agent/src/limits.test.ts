import { TurnBudget } from './limits';

const usage = (inputTokens: number, cacheReadInputTokens = 0) => ({
  inputTokens,
  outputTokens: 0,
  cacheReadInputTokens,
  cacheCreationInputTokens: 0,
  costUsd: 0,
});

describe('the turn budget', () => {
  it('says why to conclude: model calls, tokens, then time', () => {
    let now = 0;
    const budget = new TurnBudget({ maxTurns: 10, maxTokens: 1000, timeoutMs: 100_000 }, () => now);
    expect(budget.nearLimit()).toBeUndefined();
    now = 80_000;
    expect(budget.nearLimit()).toBe('20 s of 100 s left');
    now = 0;
    budget.addUsage(usage(800));
    expect(budget.nearLimit()).toBe('200 of 1000 tokens left');
    for (let i = 0; i < 7; i++) budget.startTurn();
    expect(budget.nearLimit()).toBe('3 of 10 model calls left');
    expect(budget.specialistMayCall()).toBe(false);
  });

  it('weighs cache reads as the caller prices them, and stops past the limit', () => {
    const budget = new TurnBudget({ maxTurns: 10, maxTokens: 1000 });
    budget.addUsage({ ...usage(100, 4000), weightedInputTokens: 300 });
    expect(budget.tokensUsed).toBe(300);
    expect(budget.usage.cacheReadInputTokens).toBe(4000);
    expect(() => budget.addUsage({ ...usage(100, 40_000), weightedInputTokens: 2100 })).toThrow(
      'Stopped after 2400 tokens (cache reads weighted at their price): the limit per request is 1000 (EXECUTOR_MAX_TOKENS).',
    );
  });
});
