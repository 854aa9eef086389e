// Builds a typed remediation proposal from an action (the remediator's, or a finding's suggestion):
// refuses protected namespaces and Foxhound's own objects, reads the target as it is now, computes
// the rollback, risk and a digest of what the action touches, and asks the API server for a dry
// run. Nothing is executed: a proposal is what a human approves or rejects.
import {
  actionTargetKind,
  type Action,
  type Evidence,
  laneOf,
  type Proposal,
  ProposalSchema,
  type SuggestedAction,
} from '@foxhound/contracts';
import { PROTECTED_NAMESPACES, TARGET_LIST } from '@foxhound/diagnostics';
import { targetDigest } from '@foxhound/kube';
import { ClusterReadError, isForbidden } from '../cluster/reader';
import { type ToolContext } from '../tools/context';
import { dryRunRequest } from './dry-run';
import { editEffect, planFor, type TargetState } from './rollback';
import { targetState } from './target-state';

export interface ProposalRequest {
  action: Action;
  findingId?: string;
  summary: string;
  evidence?: Evidence[];
  expectedEffect?: string;
}

export type ProposalOutcome = { proposal: Proposal } | { refusal: string };

const FOXHOUND_LABELS = ['app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];

export async function buildProposal(request: ProposalRequest, ctx: ToolContext): Promise<ProposalOutcome> {
  const { action } = request;
  const target = `${action.type} ${action.namespace}/${action.name}`;
  if (PROTECTED_NAMESPACES.has(action.namespace)) {
    return {
      refusal: `${target}: namespace ${action.namespace} is protected; Foxhound never proposes changes there.`,
    };
  }
  const object = await ctx.cluster.get(TARGET_LIST[actionTargetKind(action)], action.name, action.namespace);
  if (!object) return { refusal: `${target}: the target does not exist.` };
  if (FOXHOUND_LABELS.some((l) => object.metadata.labels?.[l] === 'foxhound')) {
    return { refusal: `${target}: the target belongs to Foxhound itself and is protected.` };
  }
  const state = await targetState(action, object, ctx);
  const plan = planFor(action, state);
  if (plan.refusal) return { refusal: `${target}: ${plan.refusal}` };

  const finding = request.findingId ? ctx.turn.findings.get(request.findingId) : undefined;
  // A finding's suggestion for this very action was computed from the same state: keep its words.
  const suggestion: SuggestedAction | undefined =
    finding?.suggestion && JSON.stringify(finding.suggestion.action) === JSON.stringify(plan.action)
      ? finding.suggestion
      : undefined;
  const summary = [suggestion?.summary ?? request.summary, plan.note].filter(Boolean).join(' ');
  const proposal: Proposal = {
    id: `${request.findingId ?? 'proposal'}:${plan.action.type}:${action.namespace}/${action.name}`,
    ...(request.findingId ? { findingId: request.findingId } : {}),
    action: plan.action,
    summary,
    evidence: request.evidence?.length ? request.evidence : (finding?.evidence.slice(0, 6) ?? []),
    expectedEffect: suggestion?.expectedEffect ?? request.expectedEffect ?? defaultEffect(plan.action),
    risk: suggestion?.risk ?? plan.risk,
    // The exact inverse from the object as read now, never an older suggestion's.
    rollback: plan.rollback,
    target: {
      ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
      digest: targetDigest(plan.action, object),
    },
    lane: laneOf(object.metadata),
  };
  const dryRun = await tryDryRun(plan.action, state, ctx);
  return { proposal: ProposalSchema.parse(dryRun ? { ...proposal, dryRun } : proposal) };
}

async function tryDryRun(action: Action, state: TargetState, ctx: ToolContext): Promise<Proposal['dryRun']> {
  try {
    await ctx.cluster.dryRun(dryRunRequest(action, state, ctx.now()));
    return { ok: true, message: 'The API server accepted the change in a dry run (nothing was persisted).' };
  } catch (err) {
    if (isForbidden(err)) {
      ctx.turn.blindSpot(
        "Server-side dry runs of proposals (the executor's ServiceAccount may not write, even in a dry run)",
      );
      return undefined;
    }
    if (err instanceof ClusterReadError && err.status === 405) {
      ctx.turn.blindSpot('Server-side dry runs of proposals (replaying a captured snapshot)');
      return undefined;
    }
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function defaultEffect(action: Action): string {
  switch (action.type) {
    case 'RollbackDeployment':
      return `Pods run the revision ${action.toRevision} template again.`;
    case 'PatchDeploymentImage':
      return `New pods start with ${action.image}.`;
    case 'ScaleDeployment':
      return `${action.replicas} pods run.`;
    case 'RolloutRestart':
      return 'Pods are replaced one by one from the same template.';
    case 'DeletePod':
      return 'The controller creates a replacement pod.';
    case 'DeleteResourceQuota':
      return 'Controllers can create the pods the quota refused.';
    default:
      return editEffect(action);
  }
}
