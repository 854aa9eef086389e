// The engines the harness can score, by name: the LLM-free diagnostics engine, and the offline agent
// (the same investigation the executor runs without a model: roles, tools, proposals).
import { offlineAgentEngine } from '@foxhound/agent';
import { type Engine } from '../engine';
import { diagnosticsEngine } from './diagnostics';

export const ENGINES: Record<string, Engine> = {
  [diagnosticsEngine.name]: diagnosticsEngine,
  [offlineAgentEngine.name]: offlineAgentEngine,
};
