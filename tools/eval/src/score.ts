// Scoring one investigation against a scenario's `expect`: the root cause named (every keyword
// entry, alternatives split on `|`, case-insensitive, in the report's root-cause sentence), the
// affected object named, a correct action type proposed first, and no false alarm on a healthy
// scenario. Criteria that do not apply are `n/a` and do not count.
import { type InvestigationReport, type ObjectRef, type ScenarioExpect } from '@foxhound/contracts';

export type Verdict = 'pass' | 'fail' | 'n/a';

export interface Score {
  /** The report says healthy exactly when the scenario is. */
  healthy: Verdict;
  rootCause: Verdict;
  object: Verdict;
  action: Verdict;
  passed: boolean;
  /** Human-readable reasons for each failed criterion. */
  misses: string[];
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

function describe(r: ObjectRef | undefined): string {
  return r ? `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}` : 'nothing';
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
    return {
      healthy,
      rootCause: 'n/a',
      object: 'n/a',
      action: quiet ? 'pass' : 'fail',
      passed: healthy === 'pass' && quiet,
      misses,
    };
  }

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
    misses.push(`affected ${describe(report.affected)}, expected ${describe(expect.object)}`);

  const first = report.proposals[0]?.action.type;
  const action: Verdict =
    expect.actions.length === 0
      ? 'n/a'
      : first && (expect.actions as readonly string[]).includes(first)
        ? 'pass'
        : 'fail';
  if (action === 'fail')
    misses.push(`first proposal ${first ?? 'none'}, expected ${expect.actions.join(' or ')}`);

  const passed = [healthy, rootCause, object, action].every((v) => v !== 'fail');
  return { healthy, rootCause, object, action, passed, misses };
}
