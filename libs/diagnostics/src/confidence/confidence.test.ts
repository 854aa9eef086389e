import { type CalibrationTable, confidenceOf } from './confidence';

const table: CalibrationTable = {
  engine: 'diagnostics',
  lanes: ['plain', 'renamed'],
  cases: 20,
  classes: [
    { reason: 'QuotaExceeded', cases: 8, right: 8 },
    { reason: 'ErrorRate', cases: 10, right: 7 },
    { reason: 'ImagePullBackOff', cases: 1, right: 1 },
    { reason: 'DiskFull', cases: 4, right: 0 },
  ],
};

describe('confidenceOf', () => {
  it.each([
    [
      'a class right every time over enough cases',
      'QuotaExceeded',
      'high',
      1,
      'QuotaExceeded was right in 8 of 8 evaluated cases (100%, plain, renamed lanes).',
    ],
    [
      'a class right 70% of the time',
      'ErrorRate',
      'medium',
      0.7,
      'ErrorRate was right in 7 of 10 evaluated cases (70%, plain, renamed lanes).',
    ],
    [
      'a class seen once, however right',
      'ImagePullBackOff',
      'low',
      1,
      'ImagePullBackOff was right in 1 of 1 evaluated cases (100%, plain, renamed lanes).',
    ],
    [
      'a class never right',
      'DiskFull',
      'low',
      0,
      'DiskFull was right in 0 of 4 evaluated cases (0%, plain, renamed lanes).',
    ],
  ])('gives %s its measured rate and level', (_name, reason, level, rate, text) => {
    expect(confidenceOf(reason, table)).toEqual({
      class: reason,
      level,
      cases: table.classes.find((c) => c.reason === reason)!.cases,
      right: table.classes.find((c) => c.reason === reason)!.right,
      rate,
      reason: text,
    });
  });

  it('says a class the corpus never produced is not measured, with no rate', () => {
    expect(confidenceOf('NodeNotReady', table)).toEqual({
      class: 'NodeNotReady',
      level: 'low',
      cases: 0,
      right: 0,
      reason: 'NodeNotReady never came up in the 20 evaluated cases: its accuracy is not measured.',
    });
  });

  it('reads the shipped table by default', () => {
    expect(confidenceOf('Healthy').cases).toBeGreaterThan(0);
  });
});
