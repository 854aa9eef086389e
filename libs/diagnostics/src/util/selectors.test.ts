import { formatSelector, matchesLabels, matchesSelector } from './selectors';

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    ['matchLabels hit', { matchLabels: { app: 'web' } }, true],
    ['matchLabels miss', { matchLabels: { app: 'api' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [
      'unknown operator never matches',
      { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] },
      false,
    ],
    ['empty selector selects everything', {}, true],
    ['missing selector selects nothing', undefined, false],
  ])('%s', (_name, selector, expected) => {
    expect(matchesSelector(labels, selector)).toBe(expected);
  });

  it('equality selectors need every pair and a selector to exist', () => {
    expect(matchesLabels(labels, { app: 'web', tier: 'front' })).toBe(true);
    expect(matchesLabels(labels, { app: 'web', tier: 'back' })).toBe(false);
    expect(matchesLabels(labels, undefined)).toBe(false);
  });

  it('formats both selector forms', () => {
    expect(formatSelector({ app: 'web' })).toBe('app=web');
    expect(
      formatSelector({
        matchLabels: {},
        matchExpressions: [{ key: 'k', operator: 'In', values: ['a', 'b'] }],
      }),
    ).toBe('k In (a,b)');
    expect(formatSelector({ matchLabels: {} })).toBe('<all>');
  });
});
