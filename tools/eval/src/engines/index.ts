// The engines the harness can score, by name: the LLM-free diagnostics engine and the offline agent
// (the same investigation the executor runs without a model: roles, tools, proposals). The
// model-driven agent (`agent-claude`) needs a key and options, so `main.ts` builds it on demand.
import { offlineAgentEngine } from '@foxhound/agent';
import { type Engine } from '../engine';
import { diagnosticsEngine } from './diagnostics';

export const OFFLINE_ENGINES: Record<string, Engine> = {
  [diagnosticsEngine.name]: diagnosticsEngine,
  [offlineAgentEngine.name]: offlineAgentEngine,
};
