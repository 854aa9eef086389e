// What each Claude model accepts, from the thinking and migration pages
// (platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting, models/sonnet-5-5/
// migration-guide, read 2026-12-07): which thinking mode it runs, whether it takes the effort
// parameter, and whether it rejects sampling parameters. The provider builds its requests from
// this table and the strict fake refuses what it says a model refuses.
import { type ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';

export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];

export interface ModelTraits {
  /**
   * `adaptive`: thinking: {type: "adaptive"} with a `display` (4.6 and later; on by default from
   * Claude 5, where the default display is `omitted`). `manual`: the legacy
   * {type: "enabled", budget_tokens} (4.5 and earlier), with interleaved thinking behind a beta.
   */
  thinking: 'adaptive' | 'manual';
  /** Takes output_config.effort. */
  effort: boolean;
  /** Non-default temperature/top_p/top_k return 400 (Opus 4.7 and later, every Claude 5 model). */
  rejectsSampling: boolean;
  /** Thinks when `thinking` is omitted (every Claude 5 model). */
  thinkingByDefault: boolean;
  /** The `display` when the request sets none: `omitted` from Opus 4.7 and on Claude 5. */
  defaultDisplay: 'summarized' | 'omitted';
  /** thinking.type "disabled" returns 400 (Sonnet 5.5 takes "between_tools" instead; Opus 5.5, Fable, Mythos). */
  rejectsDisabledThinking: boolean;
  /** A forced tool_choice (any/tool) returns 400 even without thinking (the 5.5 models, Fable/Mythos 5.1). */
  rejectsForcedToolChoice: boolean;
  /** A conversation ending with an assistant turn (prefill) returns 400 (Claude 5). */
  rejectsPrefill: boolean;
}

/** Claude 3.x and 4.0-4.5 (date suffix optional): manual thinking only. */
const MANUAL = /^claude-(3-[0-9a-z-]+|(opus|sonnet)-4(-\d{8})?|(opus|sonnet|haiku)-4-[0-5](-\d{8})?)$/;
const FOUR_SIX = /^claude-(opus|sonnet)-4-6(-\d{8})?$/;
const CLAUDE_5 = /^claude-(sonnet|opus|haiku|fable|mythos)-5/;
const FIVE_FIVE = /^claude-((sonnet|opus|haiku)-5-5|(fable|mythos)-5-1)/;
const ALWAYS_THINKING = /^claude-((sonnet|opus)-5-5|(fable|mythos)-5|mythos-preview)/;

/** Unknown ids are taken as current models: adaptive thinking, effort, no sampling parameters. */
export function modelTraits(model: string): ModelTraits {
  const manual = MANUAL.test(model);
  const adaptiveOptIn = manual || FOUR_SIX.test(model);
  return {
    thinking: manual ? 'manual' : 'adaptive',
    effort: !manual || model.startsWith('claude-opus-4-5'),
    rejectsSampling: !adaptiveOptIn,
    thinkingByDefault: CLAUDE_5.test(model) || model.startsWith('claude-mythos-preview'),
    defaultDisplay: adaptiveOptIn ? 'summarized' : 'omitted',
    rejectsDisabledThinking: ALWAYS_THINKING.test(model),
    rejectsForcedToolChoice: FIVE_FIVE.test(model),
    rejectsPrefill: CLAUDE_5.test(model),
  };
}

/** The `thinking` field: summaries requested so the stream can show them (Claude 5 omits them by default). */
export function thinkingParam(traits: ModelTraits, maxTokens: number): ThinkingConfigParam {
  if (traits.thinking === 'adaptive') return { type: 'adaptive', display: 'summarized' };
  return { type: 'enabled', budget_tokens: Math.max(1024, Math.min(16_000, Math.floor(maxTokens / 2))) };
}

/** Manual thinking between tool calls needs the interleaved-thinking beta on Claude 4 models. */
export const INTERLEAVED_THINKING_BETA = 'interleaved-thinking-2025-05-14';
