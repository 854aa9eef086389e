// Calibration: how often each root-cause class is right on the corpus, for the diagnostics report's
// confidence. The class is the reason code of the root finding the report's root-cause sentence was
// written from (`QuotaExceeded`, `OOMKilled`, ...; `Healthy` for "nothing is wrong"), read from the
// report as any client sees it (`rootClassOf`). A case counts for the class its report named; it is
// right when the scenario's verdict on health, root cause and object all pass. The corpus is every
// scenario in the lanes that keep one scenario per case (plain, renamed, neutral, noise): a class
// that is right only under its scenario's own wording is not right.
import { type CalibrationTable } from '@foxhound/diagnostics';
import { type ScenarioContent } from '@foxhound/kube-sim';
import { diagnosticsEngine } from './engines/diagnostics';
import { evaluate } from './evaluate';
import { type Lane } from './lanes';
import { type EvalResult } from './run';
import { type ReadScenarios } from './scenarios';

/** Where the table ships: read by libs/diagnostics' report through `confidenceOf`. */
export const CALIBRATION_FILE = 'libs/diagnostics/src/confidence/calibration.json';

export const CALIBRATION_LANES: Lane[] = ['plain', 'renamed', 'neutral', 'noise'];

/** The table from eval results (pure, so a test can compare it with the shipped file). */
export function calibrationOf(results: EvalResult[]): CalibrationTable {
  const counts = new Map<string, { cases: number; right: number }>();
  let cases = 0;
  for (const r of results) {
    for (const c of r.cases) {
      if (!c.score || !c.rootClass) continue;
      cases += 1;
      const s = c.score;
      const right = s.healthy === 'pass' && s.rootCause !== 'fail' && s.object !== 'fail';
      const entry = counts.get(c.rootClass) ?? { cases: 0, right: 0 };
      entry.cases += 1;
      if (right) entry.right += 1;
      counts.set(c.rootClass, entry);
    }
  }
  return {
    engine: results[0]?.engine ?? 'diagnostics',
    lanes: [...new Set(results.map((r) => r.lane))],
    cases,
    classes: [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reason, n]) => ({ reason, cases: n.cases, right: n.right })),
  };
}

export async function calibrate(options: {
  scenarios: ReadScenarios;
  healthy?: ScenarioContent;
  now: Date;
}): Promise<CalibrationTable> {
  const results = await evaluate({ ...options, engines: [diagnosticsEngine], lanes: CALIBRATION_LANES });
  return calibrationOf(results);
}

/** The table as the repository's formatter writes it (one line for the lanes), so `make format` keeps it. */
export function formatCalibration(table: CalibrationTable): string {
  return `${JSON.stringify(table, null, 2).replace(/"lanes": \[[^\]]*\]/, `"lanes": ${JSON.stringify(table.lanes).replace(/,/g, ', ')}`)}\n`;
}
