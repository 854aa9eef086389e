// Dollar cost of model calls, per million tokens (list prices). Cache writes (5-minute TTL) cost
// 1.25x input and cache reads 0.1x input. Model ids carry date suffixes
// (`claude-sonnet-4-5-20250929`), so the longest matching prefix wins; an unknown model costs 0 and
// the caller logs it once.
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-sonnet-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-7-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
};

const CACHE_WRITE_FACTOR = 1.25;
const CACHE_READ_FACTOR = 0.1;

export function priceOf(model: string): ModelPrice | undefined {
  const match = Object.keys(PRICES)
    .filter((prefix) => model === prefix || model.startsWith(`${prefix}-`))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? undefined : PRICES[match];
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export function costUsd(model: string, tokens: TokenCounts): number {
  const price = priceOf(model);
  if (!price) return 0;
  const input =
    tokens.inputTokens +
    tokens.cacheCreationInputTokens * CACHE_WRITE_FACTOR +
    tokens.cacheReadInputTokens * CACHE_READ_FACTOR;
  return (input * price.inputPerMTok + tokens.outputTokens * price.outputPerMTok) / 1_000_000;
}
