// What a case's run did, summed over its turns, for engines that report a trace (the agent): who
// wrote the answers, tool calls by name, tokens by kind and cost, how much of the quoted evidence
// appears verbatim in a tool output of the run (grounding), and how many proposals are valid
// (the closed action schema, and a target that exists in the cluster). Also the root-cause class
// calibration counts by.
import {
  actionTargetKind,
  type InvestigationReport,
  type Proposal,
  ProposalSchema,
  sameObject,
} from '@foxhound/contracts';
import { type KubeStore } from '@foxhound/kube-sim';
import { type EngineAnswer } from './engine';

export interface CaseTrace {
  /** Every turn's answer came from the model (none from a fallback or an error). */
  modelAuthored: boolean;
  provider: string;
  model?: string;
  toolCalls: Record<string, number>;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  costUsd: number;
  modelCalls: number;
  /** Quoted evidence excerpts, and how many appear verbatim in some tool output of the run. */
  quotes: number;
  grounded: number;
  /** grounded / quotes; undefined when nothing was quoted. */
  groundingRate?: number;
  proposals: number;
  validProposals: number;
}

/** The API resource of each kind an action targets, to check that the target exists. */
const RESOURCE: Record<string, string> = {
  Deployment: 'deployments.apps',
  StatefulSet: 'statefulsets.apps',
  DaemonSet: 'daemonsets.apps',
  ResourceQuota: 'resourcequotas',
  Pod: 'pods',
};

function validProposal(p: Proposal, store: KubeStore): boolean {
  if (!ProposalSchema.safeParse(p).success) return false;
  const resource = RESOURCE[actionTargetKind(p.action)];
  return !!resource && !!store.find(resource, p.action.namespace, p.action.name);
}

export function caseTrace(answers: EngineAnswer[], store: KubeStore): CaseTrace {
  const traced = answers.flatMap((a) => (a.trace ? [a.trace] : []));
  const toolCalls: Record<string, number> = {};
  for (const t of traced)
    for (const [name, n] of Object.entries(t.toolCalls)) toolCalls[name] = (toolCalls[name] ?? 0) + n;
  const outputs = traced.flatMap((t) => t.toolOutputs);
  const quotes = answers
    .flatMap((a) => (a.report?.evidence ?? []).map((e) => e.excerpt.trim()))
    .filter(Boolean);
  const grounded = quotes.filter((q) => outputs.some((o) => o.includes(q))).length;
  const proposals = answers.flatMap((a) => a.proposals);
  const sum = (f: (t: (typeof traced)[number]) => number) => traced.reduce((n, t) => n + f(t), 0);
  return {
    modelAuthored: traced.length === answers.length && traced.every((t) => t.modelAuthored),
    provider: traced[0]?.provider ?? 'unknown',
    model: traced[0]?.model,
    toolCalls,
    tokens: {
      input: sum((t) => t.usage.inputTokens),
      output: sum((t) => t.usage.outputTokens),
      cacheRead: sum((t) => t.usage.cacheReadInputTokens),
      cacheWrite: sum((t) => t.usage.cacheCreationInputTokens),
    },
    costUsd: sum((t) => t.usage.costUsd),
    modelCalls: sum((t) => t.usage.modelCalls),
    quotes: quotes.length,
    grounded,
    ...(quotes.length ? { groundingRate: grounded / quotes.length } : {}),
    proposals: proposals.length,
    validProposals: proposals.filter((p) => validProposal(p, store)).length,
  };
}

/**
 * The class of a report's root cause, as calibration counts it: the reason code of the root finding
 * the root-cause sentence was written from (a root finding, on the affected object, whose reason the
 * sentence names); `Healthy` for a healthy report; undefined when the report names no such finding.
 */
export function rootClassOf(report: InvestigationReport): string | undefined {
  if (report.healthy) return 'Healthy';
  const roots = report.findings.filter((f) => !f.causedBy);
  const onAffected = (f: (typeof roots)[number]) =>
    !!report.affected &&
    (sameObject(report.affected, f.parent ?? f.object) || sameObject(report.affected, f.object));
  return (
    roots.find((f) => onAffected(f) && report.rootCause.includes(f.reason)) ??
    roots.find((f) => report.rootCause.includes(`(${f.reason} on`))
  )?.reason;
}
