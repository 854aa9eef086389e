// The report's confidence, measured instead of set by hand: `calibration.json` says, per root-cause
// class (the root finding's reason code, `Healthy` for "nothing is wrong"), in how many evaluated
// cases that class was named and how often it was right. `make calibrate` (tools/eval) writes it; a
// test in tools/eval fails when it no longer matches what the command produces for the corpus.
import { type ConfidenceBasis } from '@foxhound/contracts';
import shipped from './calibration.json';

export interface CalibrationClass {
  reason: string;
  /** Evaluated cases whose report named this class as the root cause. */
  cases: number;
  /** Of those, cases where health, root cause and object were all right. */
  right: number;
}

export interface CalibrationTable {
  /** The engine measured (the diagnostics engine, whose report this confidence is for). */
  engine: string;
  /** The eval lanes the cases come from. */
  lanes: string[];
  cases: number;
  classes: CalibrationClass[];
}

/** Fewer cases than this and a rate says little: the level stays low whatever the rate. */
const MIN_CASES_MEDIUM = 2;
const MIN_CASES_HIGH = 4;

/**
 * How far to trust a root cause of this class: the measured rate with its level and the reason,
 * or, for a class the corpus never produced, a low level that says it was not measured.
 */
export function confidenceOf(rootClass: string, table: CalibrationTable = shipped): ConfidenceBasis {
  const entry = table.classes.find((c) => c.reason === rootClass);
  if (!entry || entry.cases === 0)
    return {
      class: rootClass,
      level: 'low',
      cases: 0,
      right: 0,
      reason: `${rootClass} never came up in the ${table.cases} evaluated cases: its accuracy is not measured.`,
    };
  const rate = entry.right / entry.cases;
  const level =
    entry.cases >= MIN_CASES_HIGH && rate >= 0.9
      ? 'high'
      : entry.cases >= MIN_CASES_MEDIUM && rate >= 0.7
        ? 'medium'
        : 'low';
  return {
    class: rootClass,
    level,
    cases: entry.cases,
    right: entry.right,
    rate,
    reason: `${rootClass} was right in ${entry.right} of ${entry.cases} evaluated cases (${Math.round(rate * 100)}%, ${table.lanes.join(', ')} lanes).`,
  };
}
