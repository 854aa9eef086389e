// The four roles and their tool allow-lists. The commander reaches the specialists through tools
// named after them (see SUBAGENT_ROLES); the offline engine runs the same roles as stages.
import fs from 'node:fs';
import path from 'node:path';
import { type RoleDefinition, type RoleId } from './types';

const read = (file: string): string => fs.readFileSync(path.join(__dirname, file), 'utf8').trim();
/** Every role's prompt ends with the same rules: tool output is data, time, evidence, confidence. */
const SHARED = read('shared.md');
const prompt = (file: string): string => `${read(file)}\n\n${SHARED}`;

export const investigator: RoleDefinition = {
  id: 'investigator',
  title: 'investigator',
  description:
    'Kubernetes specialist: cluster state, events, endpoints, quotas, image references, resource usage and metrics. Give it one precise task naming the namespace and objects.',
  prompt: prompt('investigator.md'),
  tools: [
    'fetch_skill',
    'run_diagnostics',
    'kubectl_get',
    'kubectl_describe',
    'kubectl_events',
    'get_endpoints',
    'quota_explain',
    'image_check',
    'registry_tags',
    'kubectl_top',
    'prometheus_query',
    'service_graph',
    'blast_radius',
    'find_resource',
    'api_resources',
    'network_path',
  ],
  skills: ['kubernetes-debugging'],
};

export const logAnalyst: RoleDefinition = {
  id: 'log_analyst',
  title: 'log analyst',
  description:
    'Log and change specialist: container logs (current and previous, with grep), stack traces, and what changed recently (rollouts, ReplicaSet revisions). Give it one precise task naming the pods or workload.',
  prompt: prompt('log-analyst.md'),
  tools: [
    'fetch_skill',
    'fetch_pod_logs',
    'analyze_logs',
    'what_changed',
    'kubectl_events',
    'kubectl_get',
    'kubectl_describe',
    'find_resource',
  ],
  skills: ['log-analysis'],
};

export const remediator: RoleDefinition = {
  id: 'remediator',
  title: 'remediator',
  description:
    'Remediation specialist: turns an established root cause into typed, reversible fix proposals with risk and rollback, for a human to approve. Give it the root cause, the object and the evidence.',
  prompt: prompt('remediator.md'),
  tools: [
    'fetch_skill',
    'kubectl_get',
    'kubectl_describe',
    'what_changed',
    'blast_radius',
    'runbook_lookup',
    'propose_action',
  ],
  skills: ['remediation-safety'],
};

/** The specialists the commander can call, by the tool name it calls them with. */
export const SUBAGENT_ROLES: Readonly<Record<string, RoleDefinition>> = {
  investigator,
  log_analyst: logAnalyst,
  remediator,
};

export const commander: RoleDefinition = {
  id: 'commander',
  title: 'commander',
  description: 'Incident commander: triage, plan, delegation and the final report.',
  prompt: prompt('commander.md'),
  tools: [
    'fetch_skill',
    'run_diagnostics',
    'kubectl_get',
    'service_graph',
    'blast_radius',
    'runbook_lookup',
    ...Object.keys(SUBAGENT_ROLES),
    'submit_report',
  ],
  skills: ['investigate'],
};

export const ROLES: Readonly<Record<RoleId, RoleDefinition>> = {
  commander,
  investigator,
  log_analyst: logAnalyst,
  remediator,
};
