// Joins the commander's draft (or, without one, the model's final text) with what the turn
// collected: the findings and proposals it emitted and the blind spots its tools recorded.
import { type InvestigationReport } from '@foxhound/contracts';
import { type TurnState } from '../tools/context';

export function assembleReport(state: TurnState, finalText: string): InvestigationReport {
  const draft = state.report;
  const findings = [...state.findings.values()];
  const notChecked = [...new Set([...(draft?.notChecked ?? []), ...state.notChecked])];
  if (draft) {
    return { ...draft, findings, proposals: [...state.proposals], notChecked };
  }
  // The model ended without submit_report: keep its words, and say the structure is missing.
  const roots = findings.filter((f) => f.causedBy === undefined);
  const top = roots.sort((a, b) => b.confidence - a.confidence)[0];
  return {
    summary: firstParagraph(finalText) || 'The investigation ended without a summary.',
    rootCause: top ? top.cause : 'Not established: the investigation ended without naming a root cause.',
    healthy: false,
    ...(top ? { affected: top.object } : {}),
    evidence: top ? top.evidence : [],
    timeline: [],
    impact: '',
    blastRadius: [],
    findings,
    proposals: [...state.proposals],
    confidence: top ? Math.min(top.confidence, 0.5) : 0,
    notChecked: [...notChecked, 'A structured report: the model ended without submitting one.'],
  };
}

function firstParagraph(text: string): string {
  return (text.trim().split(/\n\s*\n/)[0] ?? '').slice(0, 4000);
}
