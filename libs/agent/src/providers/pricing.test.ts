import { costUsd, priceOf } from './pricing';

describe('model pricing', () => {
  it.each([
    ['claude-sonnet-5-5', 2, 10],
    ['claude-sonnet-4-5', 3, 15],
    ['claude-sonnet-4-5-20250929', 3, 15],
    ['claude-opus-4-1-20250805', 15, 75],
    ['claude-opus-4-5', 5, 25],
    ['claude-haiku-4-5', 1, 5],
  ])('prices %s by its family', (model, input, output) => {
    expect(priceOf(model)).toEqual({ inputPerMTok: input, outputPerMTok: output });
  });

  it('costs cache writes at 1.25x and cache reads at 0.1x of input', () => {
    const cost = costUsd('claude-sonnet-4-5', {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheCreationInputTokens: 1_000_000,
      cacheReadInputTokens: 1_000_000,
    });
    expect(cost).toBeCloseTo(3 + 1.5 + 3.75 + 0.3, 10);
  });

  it('costs an unknown model nothing rather than guessing', () => {
    expect(priceOf('claude-sonnet-40')).toBeUndefined();
    expect(
      costUsd('my-proxy-model', {
        inputTokens: 10,
        outputTokens: 10,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
      }),
    ).toBe(0);
  });
});
