// toReport(): a Diagnosis as the contracts' InvestigationReport, the shape the executor streams in
// its `result` event and the eval scores: one root-cause sentence, the affected object, evidence,
// timeline, impact, blast radius, and typed proposals with risk and rollback.
import {
  actionTargetKind,
  type Evidence,
  type Finding,
  type InvestigationReport,
  type Proposal,
} from '@foxhound/contracts';
import { confidenceOf } from '../confidence/confidence';
import { affectedOf, type Diagnosis } from '../diagnose';
import { type RankedGroup } from '../rank';
import { describeRef, refKey } from '../util/refs';

const MAX_EVIDENCE = 20;
const MAX_PROPOSALS = 3;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One sentence: the cause, then the finding's code and the object it concerns. */
export function rootCauseSentence(root: Finding): string {
  return `${capitalize(root.cause)} (${root.reason} on ${describeRef(affectedOf(root))}).`;
}

function proposalOf(f: Finding, d: Diagnosis): Proposal | undefined {
  const s = f.suggestion;
  if (!s) return undefined;
  const action = s.action;
  const kind = actionTargetKind(action);
  const resourceVersion =
    d.resourceVersions[refKey({ kind, name: action.name, namespace: action.namespace })];
  const proposal: Proposal = {
    id: `${f.id}:${action.type}`,
    findingId: f.id,
    action,
    summary: s.summary,
    evidence: f.evidence.slice(0, 6),
    expectedEffect: s.expectedEffect,
    risk: s.risk,
    rollback: s.rollback,
  };
  if (resourceVersion) proposal.target = { resourceVersion };
  return proposal;
}

function impactOf(group: RankedGroup, d: Diagnosis): string {
  const parts = [`${group.root.symptom}.`];
  const symptoms = group.symptoms.filter((s) => s.severity !== 'info');
  if (symptoms.length)
    parts.push(
      `It explains ${symptoms.length} other finding(s): ${symptoms
        .slice(0, 4)
        .map((s) => s.symptom)
        .join('; ')}.`,
    );
  if (d.blastRadius.length)
    parts.push(
      `Affected: ${d.blastRadius.slice(0, 8).map(describeRef).join(', ')}${d.blastRadius.length > 8 ? ', …' : ''}.`,
    );
  return parts.join(' ');
}

function notChecked(d: Diagnosis): string[] {
  const out = d.gaps.map((g) => `${g.what}: ${g.reason}`);
  for (const e of d.errors) out.push(`analyzer ${e.analyzer} failed: ${e.message}`);
  out.push(
    'application metrics and traces beyond the Prometheus series collected',
    // The collector reads every pod's logs, but only their newest lines; pods it skipped are gaps above.
    'log lines older than the tail read from each container',
    'changes outside the cluster (CI/CD, cloud provider, DNS, external dependencies)',
  );
  return out;
}

/** What the question named and whether it was found, so an answer about something else says so. */
export function focusNote(d: Diagnosis): string {
  const f = d.focus;
  if (!f) return '';
  const missing = f.unresolved.length ? `Not found in the cluster: ${f.unresolved.join(', ')}.` : '';
  if (f.named.length === 0)
    return f.unresolved.length
      ? `${missing} Nothing the question names was found, so every problem in scope is listed. `
      : '';
  const named = new Set(f.named.map(refKey));
  const touched = (x: Finding) =>
    [x.object, ...(x.parent ? [x.parent] : [])].some((r) => named.has(refKey(r)));
  const top = d.groups[0];
  const onNamed = top && [top.root, ...top.symptoms].some(touched);
  const names = f.named.slice(0, 3).map(describeRef).join(', ');
  if (d.status === 'problems' && !onNamed)
    return `${missing ? `${missing} ` : ''}No problem was found on ${names}, which the question names; the problems below are elsewhere in scope. `;
  return missing ? `${missing} ` : '';
}

/**
 * The confidence of a root-cause class as measured by `make calibrate`, with its basis. A class the
 * corpus never produced keeps the analyzer's own estimate, and its basis says it is unmeasured.
 */
function measuredConfidence(
  rootClass: string,
  estimate: number,
): Pick<InvestigationReport, 'confidence' | 'confidenceBasis'> {
  const basis = confidenceOf(rootClass);
  return { confidence: basis.rate ?? estimate, confidenceBasis: basis };
}

export function toReport(d: Diagnosis): InvestigationReport {
  const scope = d.namespaces.length ? d.namespaces.join(', ') : 'all namespaces';
  const note = focusNote(d);
  if (d.status === 'ok') {
    return {
      summary: `${note}No problems found in ${scope}. Checked: ${d.checked.join('; ')}.`,
      rootCause: `No problems found in ${scope}: every workload examined is healthy.`,
      healthy: true,
      evidence: [],
      timeline: d.timeline,
      impact: 'None found.',
      blastRadius: [],
      findings: d.findings,
      proposals: [],
      ...measuredConfidence('Healthy', d.errors.length ? 0.6 : d.gaps.length ? 0.75 : 0.85),
      notChecked: notChecked(d),
    };
  }
  const top = d.groups[0];
  const root = top.root;
  const evidence: Evidence[] = [...root.evidence];
  // A symptom often quotes the same event as its root cause (the ReplicaSet's FailedCreate): keep one.
  const quoted = new Set(evidence.map((e) => `${e.source}\0${e.excerpt}`));
  for (const s of top.symptoms) {
    const first = s.evidence[0];
    if (first && !quoted.has(`${first.source}\0${first.excerpt}`)) {
      quoted.add(`${first.source}\0${first.excerpt}`);
      evidence.push(first);
    }
  }
  const proposals = d.groups
    .slice(0, MAX_PROPOSALS)
    .map((g) => proposalOf(g.root, d))
    .filter((p): p is Proposal => !!p);
  const others = d.rootCauses.slice(1, 4).map((f) => `${f.reason} on ${describeRef(affectedOf(f))}`);
  return {
    summary: `${note}${d.rootCauses.length} root cause(s) in ${scope}. Most likely: ${root.cause}, explaining ${top.symptoms.length} other finding(s).${others.length ? ` Also: ${others.join('; ')}.` : ''}`,
    rootCause: rootCauseSentence(root),
    healthy: false,
    affected: affectedOf(root),
    evidence: evidence.slice(0, MAX_EVIDENCE),
    timeline: d.timeline,
    impact: impactOf(top, d),
    blastRadius: d.blastRadius,
    findings: d.findings,
    proposals,
    ...measuredConfidence(root.reason, root.confidence),
    notChecked: notChecked(d),
  };
}
