// Dollar cost of model calls, per million tokens, from the Claude pricing page and each model's
// page (platform.claude.com/docs/en/about-claude/pricing, models/<model>/overview, read 2026-12-07).
// A 5-minute cache write costs 1.25x input on every model; a cache read ("cache hits and
// refreshes") is priced per model: $0.10 on Sonnet 5.5 (cut from $0.20 on 2026-10-07), $0.20 on
// Opus 5.5 and Fable/Mythos 5.2, $0.25 on Fable/Mythos 5.1, 0.1x input elsewhere. Haiku 5.5 bills
// a whole request at a higher tier when its prompt (input + cache reads + cache writes) exceeds
// 100,000 tokens. Model ids may carry date suffixes (`claude-sonnet-4-5-20250929`), so the longest
// matching prefix wins; an unknown model costs 0 and the caller logs it once.
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok: number;
  /** A dearer tier for requests whose prompt is over `thresholdTokens` (Haiku 5.5). */
  longPrompt?: {
    thresholdTokens: number;
    inputPerMTok: number;
    outputPerMTok: number;
    cacheReadPerMTok: number;
  };
}

const price = (
  inputPerMTok: number,
  outputPerMTok: number,
  cacheReadPerMTok = inputPerMTok / 10,
): ModelPrice => ({
  inputPerMTok,
  outputPerMTok,
  cacheReadPerMTok,
});

const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-2': price(8, 40, 0.2),
  'claude-mythos-5-2': price(8, 40, 0.2),
  'claude-fable-5-1': price(10, 50, 0.25),
  'claude-mythos-5-1': price(10, 50, 0.25),
  'claude-fable-5': price(10, 50),
  'claude-mythos-5': price(10, 50),
  'claude-opus-5-5': price(4, 20, 0.2),
  'claude-opus-5': price(5, 25),
  'claude-opus-4-8': price(5, 25),
  'claude-opus-4-7': price(5, 25),
  'claude-opus-4-6': price(5, 25),
  'claude-opus-4-5': price(5, 25),
  'claude-opus-4-1': price(15, 75),
  'claude-opus-4': price(15, 75),
  'claude-sonnet-5-5': price(2, 10, 0.1),
  'claude-sonnet-5': price(2, 10),
  'claude-sonnet-4-6': price(3, 15),
  'claude-sonnet-4-5': price(3, 15),
  'claude-sonnet-4': price(3, 15),
  'claude-3-7-sonnet': price(3, 15),
  'claude-haiku-5-5': {
    ...price(0.1, 0.5, 0.01),
    longPrompt: { thresholdTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5, cacheReadPerMTok: 0.05 },
  },
  'claude-haiku-4-5': price(1, 5),
  'claude-3-5-haiku': price(0.8, 4),
};

const CACHE_WRITE_FACTOR = 1.25;

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

/** The rates one request pays: the long-prompt tier when its prompt is over the threshold. */
function ratesFor(price: ModelPrice, tokens: TokenCounts): Omit<ModelPrice, 'longPrompt'> {
  const prompt = tokens.inputTokens + tokens.cacheReadInputTokens + tokens.cacheCreationInputTokens;
  return price.longPrompt && prompt > price.longPrompt.thresholdTokens ? price.longPrompt : price;
}

/** Dollars for one request's tokens (sum requests one by one: tiers are per request). */
export function costUsd(model: string, tokens: TokenCounts): number {
  const price = priceOf(model);
  if (!price) return 0;
  const rates = ratesFor(price, tokens);
  return (
    (tokens.inputTokens * rates.inputPerMTok +
      tokens.cacheCreationInputTokens * rates.inputPerMTok * CACHE_WRITE_FACTOR +
      tokens.cacheReadInputTokens * rates.cacheReadPerMTok +
      tokens.outputTokens * rates.outputPerMTok) /
    1_000_000
  );
}

/**
 * The request's input as uncached-input equivalents: what the turn's token budget counts, so a
 * cache read weighs what it costs (0.05x on Sonnet 5.5) and not as much as a fresh token. Unknown
 * models count every token at full weight.
 */
export function weightedInputTokens(model: string, tokens: TokenCounts): number {
  const price = priceOf(model);
  if (!price) return tokens.inputTokens + tokens.cacheReadInputTokens + tokens.cacheCreationInputTokens;
  const rates = ratesFor(price, tokens);
  return (
    tokens.inputTokens +
    tokens.cacheCreationInputTokens * CACHE_WRITE_FACTOR +
    (tokens.cacheReadInputTokens * rates.cacheReadPerMTok) / rates.inputPerMTok
  );
}
