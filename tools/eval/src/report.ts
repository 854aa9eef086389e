// The JSON report of a run (CI keeps it as an artifact): every engine and lane with its cases, the
// lane rule's verdicts, and the threshold the plain lane was held to.
import { type EvalResult } from './run';
import { LANE_TOLERANCE_POINTS, laneVerdicts, type LaneVerdict } from './table';

export interface EvalReport {
  generatedAt: string;
  scenarios: number;
  threshold: number;
  laneTolerancePoints: number;
  lanes: LaneVerdict[];
  results: EvalResult[];
}

export function buildReport(
  results: EvalResult[],
  options: { threshold: number; scenarios: number },
): EvalReport {
  return {
    generatedAt: new Date().toISOString(),
    scenarios: options.scenarios,
    threshold: options.threshold,
    laneTolerancePoints: LANE_TOLERANCE_POINTS,
    lanes: laneVerdicts(results),
    results,
  };
}
