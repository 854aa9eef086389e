// The diagnostics analyzers as a tool.
import { type Toolset } from '../registry';
import { runDiagnostics } from './run-diagnostics';

export function diagnosticsToolset(): Toolset {
  return {
    name: 'diagnostics/analyzers',
    description: 'LLM-free analyzers: root causes ranked with evidence, symptoms and typed fixes.',
    tools: [runDiagnostics],
  };
}
