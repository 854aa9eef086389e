import { costUsd, priceOf, weightedInputTokens } from './pricing';

const tokens = (input: number, output: number, read = 0, write = 0) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadInputTokens: read,
  cacheCreationInputTokens: write,
});

describe('model pricing', () => {
  it.each([
    ['claude-sonnet-5-5', 2, 10, 0.1],
    ['claude-sonnet-5', 2, 10, 0.2],
    ['claude-opus-5-5', 4, 20, 0.2],
    ['claude-fable-5-1', 10, 50, 0.25],
    ['claude-fable-5-2', 8, 40, 0.2],
    ['claude-fable-5', 10, 50, 1],
    ['claude-sonnet-4-5', 3, 15, 0.3],
    ['claude-sonnet-4-5-20250929', 3, 15, 0.3],
    ['claude-opus-4-1-20250805', 15, 75, 1.5],
    ['claude-opus-4-5', 5, 25, 0.5],
    ['claude-haiku-4-5', 1, 5, 0.1],
  ])('prices %s as the pricing page does', (model, input, output, read) => {
    expect(priceOf(model)).toMatchObject({ inputPerMTok: input, outputPerMTok: output });
    expect(priceOf(model)!.cacheReadPerMTok).toBeCloseTo(read, 10);
  });

  it('costs cache writes at 1.25x input and cache reads at the model rate', () => {
    expect(costUsd('claude-sonnet-4-5', tokens(1e6, 1e5, 1e6, 1e6))).toBeCloseTo(3 + 1.5 + 3.75 + 0.3, 10);
    expect(costUsd('claude-sonnet-5-5', tokens(1e6, 1e5, 1e6, 1e6))).toBeCloseTo(2 + 1 + 2.5 + 0.1, 10);
  });

  it('bills a Haiku 5.5 request over 100k prompt tokens at the long-prompt tier, output included', () => {
    expect(costUsd('claude-haiku-5-5', tokens(50_000, 1e6, 50_000))).toBeCloseTo(
      (50_000 * 0.1 + 50_000 * 0.01) / 1e6 + 0.5,
      10,
    );
    expect(costUsd('claude-haiku-5-5', tokens(60_000, 1e6, 50_000))).toBeCloseTo(
      (60_000 * 0.5 + 50_000 * 0.05) / 1e6 + 2.5,
      10,
    );
  });

  it('weighs cache reads in the budget at what they cost relative to fresh input', () => {
    expect(weightedInputTokens('claude-sonnet-5-5', tokens(1000, 0, 20_000, 400))).toBeCloseTo(
      1000 + 20_000 * 0.05 + 400 * 1.25,
      10,
    );
    expect(weightedInputTokens('my-proxy-model', tokens(1000, 0, 20_000, 400))).toBe(21_400);
  });

  it('costs an unknown model nothing rather than guessing', () => {
    expect(priceOf('claude-sonnet-40')).toBeUndefined();
    expect(costUsd('my-proxy-model', tokens(10, 10))).toBe(0);
  });
});
