// Prompt-cache breakpoints for one request. The API allows four per request (more is a 400) and
// caches the whole prefix up to each one: the last tool (tools come first), the system prompt, and
// two rolling breakpoints at the end of the two latest user turns that carry blocks (tool results),
// so each call reads the conversation the previous call wrote and writes only what is new. The
// breakpoints go on a copy: the conversation the provider keeps, and sends back verbatim with its
// thinking blocks, never changes.
import {
  type ContentBlockParam,
  type MessageParam,
  type TextBlockParam,
  type Tool,
} from '@anthropic-ai/sdk/resources/messages';

export const MAX_CACHE_BREAKPOINTS = 4;
const EPHEMERAL = { type: 'ephemeral' } as const;

/** `static`: tools and system only (the behaviour before rolling breakpoints; kept to measure it). */
export type CacheStrategy = 'rolling' | 'static';

export function cachedTools(tools: Tool[]): Tool[] {
  if (tools.length === 0) return tools;
  return [...tools.slice(0, -1), { ...tools[tools.length - 1]!, cache_control: EPHEMERAL }];
}

export function cachedSystem(text: string): TextBlockParam[] {
  return [{ type: 'text', text, cache_control: EPHEMERAL }];
}

export function cachedMessages(messages: MessageParam[], strategy: CacheStrategy): MessageParam[] {
  if (strategy === 'static') return messages;
  const out = [...messages];
  let placed = 0;
  for (let i = out.length - 1; i >= 0 && placed < MAX_CACHE_BREAKPOINTS - 2; i--) {
    const message = out[i]!;
    if (message.role !== 'user' || typeof message.content === 'string' || message.content.length === 0)
      continue;
    const content = [...message.content];
    content[content.length - 1] = withBreakpoint(content[content.length - 1]!);
    out[i] = { ...message, content };
    placed += 1;
  }
  return out;
}

function withBreakpoint(block: ContentBlockParam): ContentBlockParam {
  return { ...block, cache_control: EPHEMERAL } as ContentBlockParam;
}
