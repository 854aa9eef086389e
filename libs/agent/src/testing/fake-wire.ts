// The request and response shapes the fake Messages API reads and writes, and the normal form two
// requests are compared in: cache_control stripped (it places breakpoints, it is not content) and
// declared volatile text masked, so a replay matches a recording however breakpoints moved and
// whatever time it is.
import { createHash } from 'node:crypto';

export interface WireBlock {
  type: string;
  text?: string;
  thinking?: string;
  signature?: string;
  data?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
  cache_control?: unknown;
  [key: string]: unknown;
}

export interface WireMessage {
  role: string;
  content: string | WireBlock[];
}

export interface WireRequest {
  model: string;
  max_tokens: number;
  stream?: boolean;
  system?: string | WireBlock[];
  tools?: { name: string; description?: string; input_schema: unknown; cache_control?: unknown }[];
  tool_choice?: { type: string; name?: string };
  thinking?: { type: string; display?: string | null; budget_tokens?: number };
  output_config?: { effort?: string };
  temperature?: number;
  top_p?: number;
  top_k?: number;
  messages: WireMessage[];
}

/** A text pattern whose matches differ between runs, masked before requests are compared. */
export interface VolatileText {
  pattern: RegExp;
  replacement: string;
}

/** The current time the user message carries. */
export const DEFAULT_VOLATILE: VolatileText[] = [
  { pattern: /Current time: \S+ \(UTC\)/g, replacement: 'Current time: <volatile> (UTC)' },
];

export function normalize<T>(value: T, volatile: VolatileText[] = DEFAULT_VOLATILE): T {
  if (typeof value === 'string')
    return volatile.reduce<string>((s, v) => s.replace(v.pattern, v.replacement), value) as T;
  if (Array.isArray(value)) return value.map((v) => normalize(v, volatile)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'cache_control') out[k] = normalize(v, volatile);
    return out as T;
  }
  return value;
}

export const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What a thinking block produced by message `index` is bound to: system, tools, earlier messages. */
export function prefixHash(request: WireRequest, index: number, volatile?: VolatileText[]): string {
  return sha(
    JSON.stringify(
      normalize(
        {
          system: request.system ?? null,
          tools: request.tools ?? [],
          messages: request.messages.slice(0, index),
        },
        volatile,
      ),
    ),
  );
}

export const blocksOf = (message: WireMessage): WireBlock[] =>
  typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
