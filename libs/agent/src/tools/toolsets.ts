// Every toolset the agent ships, in prerequisite order: local ones first, the network-checked
// (Prometheus) last.
import { skillsToolset } from '../skills/fetch-skill';
import { type SkillLibrary } from '../skills/library';
import { changesToolset } from './changes/toolset';
import { diagnosticsToolset } from './diagnostics/toolset';
import { imageRegistryToolset } from './image-registry/toolset';
import { kubernetesToolset } from './kubernetes/toolset';
import { logsToolset } from './logs/toolset';
import { metricsToolset } from './metrics/toolset';
import { type Toolset } from './registry';
import { remediationToolset } from './remediation/propose-action';
import { reportToolset } from './report/submit-report';
import { runbooksToolset } from './runbooks/toolset';
import { topologyToolset } from './topology/toolset';

export interface ToolsetOptions {
  skills: SkillLibrary;
  prometheusUrl?: string;
  /** For Prometheus requests (tests inject a loopback-only fetch). */
  fetch?: typeof fetch;
  /** Image registry hosts registry_tags may ask; none leaves it off. */
  registryHosts?: string[];
}

export function allToolsets(options: ToolsetOptions): Toolset[] {
  return [
    skillsToolset(options.skills),
    reportToolset,
    runbooksToolset(),
    remediationToolset,
    kubernetesToolset(),
    logsToolset(),
    changesToolset(),
    topologyToolset(),
    diagnosticsToolset(),
    imageRegistryToolset({ allowedHosts: options.registryHosts ?? [] }),
    metricsToolset({ url: options.prometheusUrl, fetch: options.fetch }),
  ];
}
