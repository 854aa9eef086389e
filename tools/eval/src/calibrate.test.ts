import { calibrationOf, formatCalibration } from './calibrate';
import { type CaseResult, type EvalResult } from './run';

const score = (right: boolean): CaseResult['score'] => ({
  healthy: 'pass',
  rootCause: right ? 'pass' : 'fail',
  object: 'pass',
  action: 'n/a',
  harm: 'pass',
  concurrent: 'n/a',
  passed: right,
  misses: [],
});

function result(lane: EvalResult['lane'], cases: [string | undefined, boolean][]): EvalResult {
  return {
    engine: 'diagnostics',
    lane,
    cases: cases.map(([rootClass, right], i) => ({
      name: `c${i}`,
      lane,
      verdict: right ? 'pass' : 'fail',
      score: score(right),
      followUps: [],
      latencyMs: 1,
      ...(rootClass ? { rootClass } : {}),
    })),
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    passRate: 0,
  };
}

describe('calibrationOf', () => {
  it('counts, per root-cause class over every lane, the cases that named it and how many were right', () => {
    const table = calibrationOf([
      result('plain', [
        ['QuotaExceeded', true],
        ['OOMKilled', false],
        [undefined, true],
      ]),
      result('renamed', [
        ['QuotaExceeded', true],
        ['OOMKilled', true],
      ]),
    ]);
    expect(table).toEqual({
      engine: 'diagnostics',
      lanes: ['plain', 'renamed'],
      cases: 4,
      classes: [
        { reason: 'OOMKilled', cases: 2, right: 1 },
        { reason: 'QuotaExceeded', cases: 2, right: 2 },
      ],
    });
  });

  it('writes the table the way the repository formatter does', () => {
    const text = formatCalibration({
      engine: 'diagnostics',
      lanes: ['plain', 'noise'],
      cases: 0,
      classes: [],
    });
    expect(text).toBe(
      '{\n  "engine": "diagnostics",\n  "lanes": ["plain", "noise"],\n  "cases": 0,\n  "classes": []\n}\n',
    );
  });
});
