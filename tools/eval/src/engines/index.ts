// The engines the harness can score, by name. The agent and executor engines register here.
import { type Engine } from '../engine';
import { diagnosticsEngine } from './diagnostics';

export const ENGINES: Record<string, Engine> = {
  [diagnosticsEngine.name]: diagnosticsEngine,
};
