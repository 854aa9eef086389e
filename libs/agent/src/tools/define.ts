// What a tool is: data (name, when to use it, zod parameters, a one-line summary of a call) plus one
// function. Tools never throw for expected failures: they return a result whose status says what
// happened, with the valid choices when the input was wrong. The registry (registry.ts) owns
// budgets, truncation, role allow-lists and the events around each call.
import { type ToolStatusSchema } from '@foxhound/contracts';
import { type z } from 'zod';
import { type ToolContext } from './context';

export type ToolResultStatus = z.infer<typeof ToolStatusSchema>;

export interface ToolResult<D = unknown> {
  status: ToolResultStatus;
  /** What the model reads (and what tool_end.output carries, after truncation). */
  output: string;
  /** One human line for the stream: "3 pods in shop, 1 not ready". */
  summary?: string;
  /** Why the call failed, when it did. */
  error?: string;
  /** Structured result for the offline engine and the report; never sent to a model. */
  data?: D;
}

export interface ToolDefinition<P extends z.ZodObject = z.ZodObject, D = unknown> {
  /** snake_case, unique across toolsets. */
  name: string;
  /** When to use it, for the model. */
  description: string;
  params: P;
  /** One human line describing a call before it runs: "Reading logs of shop/checkout-7d9 (previous)". */
  summary(params: z.infer<P>): string;
  run(params: z.infer<P>, ctx: ToolContext): Promise<ToolResult<D>>;
  /** Output bound in characters; the registry's default applies when unset. */
  outputBudget?: number;
  /** Which end of an oversize output to keep: logs keep their newest (last) lines. */
  keep?: 'head' | 'tail';
}

// Tools are stored side by side in lists and maps, so their parameter types are erased there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any, any>;

export function defineTool<P extends z.ZodObject, D = unknown>(
  definition: ToolDefinition<P, D>,
): ToolDefinition<P, D> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) {
    throw new Error(`Tool name "${definition.name}" must be snake_case.`);
  }
  return definition;
}

export const ok = <D>(output: string, summary: string, data?: D): ToolResult<D> => ({
  status: 'success',
  output,
  summary,
  data,
});

export const noData = <D>(output: string, summary: string, data?: D): ToolResult<D> => ({
  status: 'no_data',
  output,
  summary,
  data,
});

export const failed = (error: string, summary?: string): ToolResult<never> => ({
  status: 'error',
  output: error,
  error,
  summary: summary ?? error,
});
