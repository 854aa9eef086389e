// The report as the `result` event's markdown `text`: what an on-call engineer reads in a terminal
// or a chat message, in the order they need it.
import { type Evidence, type InvestigationReport, type ObjectRef, type Proposal } from '@foxhound/contracts';

export const refText = (ref: ObjectRef): string =>
  `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;

export function renderReport(report: InvestigationReport): string {
  const out: string[] = [];
  // The question's own answer comes first; the root cause (this turn's or the thread's) follows.
  if (report.answer) out.push('## Answer', '', report.answer, '');
  out.push(report.healthy ? '## No problem found' : '## Root cause', '', report.rootCause, '');
  if (report.summary !== report.answer) out.push(report.summary, '');
  if (report.affected) out.push(`**Affected:** ${refText(report.affected)}`, '');
  if (report.hypothesis)
    out.push(`**The reads ${HYPOTHESIS_WORD[report.hypothesis.outcome]}:** ${report.hypothesis.reason}`, '');
  if (report.evidence.length > 0) {
    out.push('### Evidence', '', ...report.evidence.slice(0, 12).map(evidenceLine), '');
  }
  const symptoms = report.findings.filter((f) => f.causedBy !== undefined);
  if (symptoms.length > 0) {
    out.push(
      '### Symptoms of the same cause',
      '',
      ...symptoms.slice(0, 12).map((f) => `- ${refText(f.object)}: ${f.symptom}`),
      '',
    );
  }
  const others = report.findings.filter(
    (f) =>
      f.causedBy === undefined &&
      !sameRef(f.object, report.affected) &&
      !sameRef(f.parent ?? f.object, report.affected),
  );
  if (others.length > 0) {
    // Each separate root cause with its own evidence and the fix proposed for it.
    out.push(
      '### Other problems found',
      '',
      ...others.slice(0, 12).map((f) => {
        const fix = report.proposals.find((p) => p.findingId === f.id);
        const quote = f.evidence[0];
        return `- ${refText(f.parent ?? f.object)}: ${f.symptom} (${f.cause})${quote ? `. Evidence (${quote.source}): ${quote.excerpt.replace(/\s+/g, ' ').slice(0, 200)}` : ''}${fix ? `. Proposed: ${fix.action.type}` : ''}`;
      }),
      '',
    );
  }
  if (report.timeline.length > 0) {
    out.push('### Timeline', '', ...report.timeline.slice(0, 15).map((t) => `- ${t.at}: ${t.what}`), '');
  }
  if (report.impact || report.blastRadius.length > 0) {
    out.push('### Impact', '');
    if (report.impact) out.push(report.impact, '');
    if (report.blastRadius.length > 0)
      out.push(`Blast radius: ${report.blastRadius.map(refText).join(', ')}`, '');
  }
  if (report.proposals.length > 0) {
    out.push('### Proposed actions (need approval)', '', ...report.proposals.map(proposalLine), '');
  }
  out.push(
    `**Confidence:** ${confidenceWord(report.confidence)} (${Math.round(report.confidence * 100)}%)`,
    '',
  );
  if (report.notChecked.length > 0) {
    out.push('### Not checked', '', ...report.notChecked.map((n) => `- ${n}`), '');
  }
  return out.join('\n').trim();
}

function evidenceLine(e: Evidence): string {
  const where = e.ref ? ` (${refText(e.ref)}${e.path ? ` ${e.path}` : ''})` : e.path ? ` (${e.path})` : '';
  return `- ${e.source}${where}: ${e.excerpt.replace(/\s+/g, ' ').slice(0, 300)}`;
}

function proposalLine(p: Proposal): string {
  const dryRun = p.dryRun
    ? `; dry run ${p.dryRun.ok ? 'passed' : `refused: ${p.dryRun.message ?? 'no reason given'}`}`
    : '';
  return `- **${p.action.type}** ${p.action.namespace}/${p.action.name}: ${p.summary} Risk ${p.risk}. Rollback: ${p.rollback.description}${dryRun}`;
}

const sameRef = (a: ObjectRef, b: ObjectRef | undefined): boolean =>
  b !== undefined && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;

const HYPOTHESIS_WORD = {
  confirmed: 'confirmed the leading hypothesis',
  demoted: 'demoted the leading hypothesis',
  replaced: 'replaced the leading hypothesis',
  untested: 'left the leading hypothesis untested',
} as const;

const confidenceWord = (c: number): string => (c >= 0.8 ? 'high' : c >= 0.5 ? 'medium' : 'low');
