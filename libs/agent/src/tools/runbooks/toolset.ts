// Built-in runbooks for the common Kubernetes failure modes.
import { type Toolset } from '../registry';
import { runbookLookup } from './runbook-lookup';

export function runbooksToolset(): Toolset {
  return {
    name: 'runbooks/builtin',
    description: 'Runbooks per failure mode, matched by reason code or text.',
    tools: [runbookLookup],
  };
}
