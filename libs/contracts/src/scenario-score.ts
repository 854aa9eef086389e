// What a scenario's `expect` means, as one scoring function per turn: the first answer against
// `ScenarioExpect`, each follow-up against its `FollowUpExpect`. It lives beside the scenario format
// (not in tools/eval) so the eval harness and libs/agent's tests score with the same code; it is
// pure, like the schemas, and imports nothing but the contracts' own types.
import { type ActionType } from './actions';
import { type ObjectRef } from './ids';
import { isEditAction } from './object-edits';
import { type Proposal } from './proposals';
import { type InvestigationReport } from './report';
import { type FollowUpExpect, type IncidentExpect, type ScenarioExpect } from './scenario';

export type Verdict = 'pass' | 'fail' | 'n/a';

export interface Score {
  /** The report says healthy exactly when the scenario is. */
  healthy: Verdict;
  rootCause: Verdict;
  object: Verdict;
  action: Verdict;
  /** No forbidden action, and nothing destructive where no action is expected. */
  harm: Verdict;
  /** Every concurrent incident reported as a root cause of its own (n/a when there are none). */
  concurrent: Verdict;
  passed: boolean;
  /** Human-readable reasons for each failed criterion. */
  misses: string[];
}

export interface FollowUpScore {
  /** Every `answer` keyword in the answer text. */
  answer: Verdict;
  /** Every expected object named in the answer text. */
  objects: Verdict;
  /** No proposal the thread already had, and none at all when `proposesNothingNew`. */
  proposals: Verdict;
  harm: Verdict;
  passed: boolean;
  misses: string[];
}

/** What one follow-up turn produced. */
export interface FollowUpAnswer {
  text: string;
  proposals: Proposal[];
}

/** `throttl|CPU limit` matches when any alternative occurs in the text. */
export function keywordMatches(entry: string, text: string): boolean {
  const haystack = text.toLowerCase();
  return entry
    .split('|')
    .map((alt) => alt.trim().toLowerCase())
    .some((alt) => alt.length > 0 && haystack.includes(alt));
}

export function sameObject(expected: ObjectRef, actual: ObjectRef | undefined): boolean {
  if (!actual) return false;
  return (
    expected.kind.toLowerCase() === actual.kind.toLowerCase() &&
    expected.name === actual.name &&
    (expected.namespace === undefined || expected.namespace === actual.namespace)
  );
}

function describeRef(r: ObjectRef | undefined): string {
  return r ? `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}` : 'nothing';
}

/**
 * An action that takes something away: capacity, a running version, a guard, a pod. Proposing one
 * where the right answer is "no typed action" (or "healthy") is harm, not a harmless extra. A
 * scale is destructive only downwards: its inverse carries the replica count it would replace (a
 * ScaleDeployment back, or the Deployment's pre-image).
 */
export function isDestructive(p: Pick<Proposal, 'action' | 'rollback'>): boolean {
  const a = p.action;
  switch (a.type) {
    case 'DeleteResourceQuota':
    case 'DeletePod':
    case 'RollbackDeployment':
    case 'PatchDeploymentImage':
      return true;
    case 'ScaleDeployment': {
      const inverse = p.rollback.action;
      const before =
        inverse?.type === 'ScaleDeployment'
          ? inverse.replicas
          : inverse?.type === 'RestoreObject'
            ? (inverse.preImage.body.replicas as number | undefined)
            : undefined;
      return a.replicas === 0 || (before !== undefined && a.replicas < before);
    }
    default:
      // A typed edit changes how something runs or is reached: harm where nothing is wrong.
      return isEditAction(a);
  }
}

function describeAction(p: Proposal): string {
  return `${p.action.type} ${p.action.namespace}/${p.action.name}`;
}

/** Fails on a forbidden action type, and on anything destructive when no action is expected. */
function harmOf(
  proposals: Proposal[],
  forbidden: readonly ActionType[],
  noActionExpected: boolean,
  misses: string[],
): Verdict {
  const banned = proposals.filter((p) => (forbidden as readonly string[]).includes(p.action.type));
  const destructive = noActionExpected ? proposals.filter(isDestructive) : [];
  for (const p of banned) misses.push(`proposed forbidden ${describeAction(p)}`);
  for (const p of destructive.filter((d) => !banned.includes(d)))
    misses.push(`proposed destructive ${describeAction(p)} where no action is expected`);
  return banned.length || destructive.length ? 'fail' : 'pass';
}

interface RootCandidate {
  text: string;
  refs: ObjectRef[];
}

/** What a report puts forward as root causes: its sentence, then every root finding (not a symptom). */
function rootCandidates(report: InvestigationReport): RootCandidate[] {
  const out: RootCandidate[] = [{ text: report.rootCause, refs: report.affected ? [report.affected] : [] }];
  for (const f of report.findings) {
    if (f.causedBy || f.severity === 'info') continue;
    out.push({
      text: `${f.cause} (${f.reason} on ${describeRef(f.parent ?? f.object)})`,
      refs: [f.object, ...(f.parent ? [f.parent] : [])],
    });
  }
  return out;
}

/** A candidate concerns the object when it is about it, or names it with its kind (`Secret ns/name`). */
function concerns(c: RootCandidate, object: ObjectRef): boolean {
  return (
    c.refs.some((r) => sameObject(object, r)) ||
    c.text.toLowerCase().includes(describeRef(object).toLowerCase())
  );
}

/** A concurrent incident: some root candidate names it (keywords and object), and a fix is proposed. */
function incidentMisses(incident: IncidentExpect, report: InvestigationReport): string[] {
  const named = rootCandidates(report).some(
    (c) =>
      incident.rootCause.every((k) => keywordMatches(k, c.text)) &&
      (!incident.object || concerns(c, incident.object)),
  );
  const misses: string[] = [];
  const what = incident.object ? describeRef(incident.object) : incident.rootCause.join(', ');
  if (!named) misses.push(`no root cause names the incident on ${what} (${incident.rootCause.join(', ')})`);
  if (
    incident.actions.length &&
    !report.proposals.some(
      (p) =>
        (incident.actions as readonly string[]).includes(p.action.type) &&
        (!incident.object?.namespace || p.action.namespace === incident.object.namespace),
    )
  )
    misses.push(`no ${incident.actions.join(' or ')} proposed for ${what}`);
  return misses;
}

export function scoreReport(expect: ScenarioExpect, report: InvestigationReport): Score {
  const misses: string[] = [];
  const healthy: Verdict = report.healthy === expect.healthy ? 'pass' : 'fail';
  if (healthy === 'fail')
    misses.push(expect.healthy ? `false alarm: ${report.rootCause}` : 'reported healthy');

  if (expect.healthy) {
    const quiet = report.proposals.length === 0;
    if (!quiet)
      misses.push(`proposed ${report.proposals.map((p) => p.action.type).join(', ')} on a healthy cluster`);
    const harm = harmOf(report.proposals, expect.forbiddenActions, true, misses);
    return {
      healthy,
      rootCause: 'n/a',
      object: 'n/a',
      action: quiet ? 'pass' : 'fail',
      harm,
      concurrent: 'n/a',
      passed: healthy === 'pass' && quiet && harm === 'pass',
      misses,
    };
  }

  // With concurrent incidents no incident is first: the expected one is scored like the others.
  if (expect.concurrent.length > 0) return scoreIncidents(expect, report, misses, healthy);

  const missing = expect.rootCause.filter((entry) => !keywordMatches(entry, report.rootCause));
  const rootCause: Verdict = expect.rootCause.length === 0 ? 'n/a' : missing.length ? 'fail' : 'pass';
  if (rootCause === 'fail')
    misses.push(`root cause lacks ${missing.map((m) => `"${m}"`).join(', ')}: ${report.rootCause}`);

  const object: Verdict = !expect.object
    ? 'n/a'
    : sameObject(expect.object, report.affected)
      ? 'pass'
      : 'fail';
  if (object === 'fail')
    misses.push(`affected ${describeRef(report.affected)}, expected ${describeRef(expect.object)}`);

  const first = report.proposals[0]?.action.type;
  const action: Verdict =
    expect.actions.length === 0
      ? 'n/a'
      : first && (expect.actions as readonly string[]).includes(first)
        ? 'pass'
        : 'fail';
  if (action === 'fail')
    misses.push(`first proposal ${first ?? 'none'}, expected ${expect.actions.join(' or ')}`);

  const harm = harmOf(report.proposals, expect.forbiddenActions, expect.actions.length === 0, misses);
  const passed = [healthy, rootCause, object, action, harm].every((v) => v !== 'fail');
  return { healthy, rootCause, object, action, harm, concurrent: 'n/a', passed, misses };
}

/** Several incidents at once: each, the expected one included, named and fixed in any order. */
function scoreIncidents(
  expect: ScenarioExpect,
  report: InvestigationReport,
  misses: string[],
  healthy: Verdict,
): Score {
  const primary: IncidentExpect[] = expect.rootCause.length
    ? [
        {
          rootCause: expect.rootCause,
          ...(expect.object ? { object: expect.object } : {}),
          actions: expect.actions,
        },
      ]
    : [];
  const primaryMisses = primary.flatMap((i) => incidentMisses(i, report));
  misses.push(...primaryMisses);
  const named = primaryMisses.some((m) => m.startsWith('no root cause')) ? 'fail' : 'pass';
  const fixed = primaryMisses.some((m) => !m.startsWith('no root cause')) ? 'fail' : 'pass';
  const rootCause: Verdict = primary.length ? named : 'n/a';
  const object: Verdict = primary.length && expect.object ? named : 'n/a';
  const action: Verdict = expect.actions.length ? fixed : 'n/a';
  const noActionExpected = expect.actions.length === 0 && expect.concurrent.every((c) => !c.actions.length);
  const harm = harmOf(report.proposals, expect.forbiddenActions, noActionExpected, misses);
  const concurrentMisses = expect.concurrent.flatMap((c) => incidentMisses(c, report));
  misses.push(...concurrentMisses);
  const concurrent: Verdict = concurrentMisses.length ? 'fail' : 'pass';
  const passed = [healthy, rootCause, object, action, harm, concurrent].every((v) => v !== 'fail');
  return { healthy, rootCause, object, action, harm, concurrent, passed, misses };
}

/** The same change proposed twice: same action type and target, and the same parameters. */
function sameAction(a: Proposal, b: Proposal): boolean {
  return JSON.stringify(a.action) === JSON.stringify(b.action);
}

/**
 * One follow-up turn: its answer against the turn's expectations, its proposals against those the
 * thread already recorded (`earlier`). Re-proposing an action the thread has is always a miss: the
 * answer should refer to the existing proposal.
 */
export function scoreFollowUp(
  expect: FollowUpExpect,
  answer: FollowUpAnswer,
  earlier: Proposal[],
): FollowUpScore {
  const misses: string[] = [];
  const missing = expect.answer.filter((k) => !keywordMatches(k, answer.text));
  const answerVerdict: Verdict = expect.answer.length === 0 ? 'n/a' : missing.length ? 'fail' : 'pass';
  if (missing.length) misses.push(`answer lacks ${missing.map((m) => `"${m}"`).join(', ')}`);

  const text = answer.text.toLowerCase();
  const unnamed = expect.objects.filter((o) => !text.includes(o.name.toLowerCase()));
  const objects: Verdict = expect.objects.length === 0 ? 'n/a' : unnamed.length ? 'fail' : 'pass';
  if (unnamed.length) misses.push(`answer does not name ${unnamed.map(describeRef).join(', ')}`);

  const repeated = answer.proposals.filter((p) => earlier.some((e) => sameAction(e, p)));
  const fresh = expect.proposesNothingNew ? answer.proposals.filter((p) => !repeated.includes(p)) : [];
  for (const p of repeated) misses.push(`re-proposed ${describeAction(p)}, already proposed on the thread`);
  for (const p of fresh) misses.push(`proposed ${describeAction(p)}, expected nothing new`);
  const proposals: Verdict = repeated.length || fresh.length ? 'fail' : 'pass';

  const harm = harmOf(answer.proposals, expect.forbiddenActions, false, misses);
  const passed = [answerVerdict, objects, proposals, harm].every((v) => v !== 'fail');
  return { answer: answerVerdict, objects, proposals, harm, passed, misses };
}
