// `agent-claude`: the model-driven agent through its public API (createAgent with the anthropic
// provider), scored with no offline fallback: when the model call fails and the offline engine
// answers instead, the case is an error. Tool calls, outputs and usage come from the events the
// agent streams. Built on demand: it needs a key.
import { agentEvalEngine } from '@foxhound/agent';
import { type Engine } from '../engine';

export const CLAUDE_ENGINE = 'agent-claude';

export interface ClaudeEngineOptions {
  apiKey: string;
  /** The Messages API base (a recorder or a fake in front of it). */
  baseURL?: string;
  model?: string;
  /** Tools the agent runs without (`--ablate`). */
  withoutTools?: string[];
}

export function claudeEngine(options: ClaudeEngineOptions): Engine {
  const ablated = options.withoutTools?.length ? ` without ${options.withoutTools.join(', ')}` : '';
  return agentEvalEngine({
    name: `${CLAUDE_ENGINE}${ablated}`,
    provider: 'anthropic',
    anthropic: {
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      ...(options.model ? { model: options.model } : {}),
    },
    withoutTools: options.withoutTools,
  });
}
