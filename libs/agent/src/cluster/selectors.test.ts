import { matchesFields, parseFieldSelector } from './fields';
import { matchesSelector, parseSelector, selectorString } from './selectors';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'app.kubernetes.io/name': 'shop' };

  it.each([
    ['equality matches', 'app=web', true],
    ['double equals matches', 'app==web', true],
    ['inequality excludes', 'app!=web', false],
    ['set membership matches', 'tier in (front,back)', true],
    ['set exclusion excludes', 'tier notin (front)', false],
    ['existence matches', 'app.kubernetes.io/name', true],
    ['absence matches', '!canary', true],
    ['several terms all apply', 'app=web,tier in (back)', false],
    ['the empty selector matches everything', '', true],
  ])('%s', (_name, selector, expected) => {
    expect(matchesSelector(labels, parseSelector(selector)!)).toBe(expected);
  });

  it.each([
    ['an unbalanced parenthesis', 'tier in (front'],
    ['a closing parenthesis first', 'tier) in ('],
    ['a value with spaces', 'app=we b'],
    ['shell metacharacters', 'app=$(id)'],
    ['a path traversal', 'app=../../etc'],
    ['an oversized selector', `app=${'a'.repeat(1001)}`],
  ])('rejects %s', (_name, selector) => {
    expect(parseSelector(selector)).toBeUndefined();
  });

  it('renders LabelSelectors and plain maps', () => {
    expect(
      selectorString({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier in (a,b),!x');
    expect(selectorString({ app: 'api' })).toBe('app=api');
  });
});

describe('field selectors', () => {
  const event = { metadata: { name: 'e1' }, type: 'Warning', involvedObject: { kind: 'Pod', name: 'web-1' } };

  it.each([
    ['a nested field', 'involvedObject.name=web-1', true],
    ['two terms', 'involvedObject.kind=Pod,type=Warning', true],
    ['a negation', 'type!=Warning', false],
    ['a missing field compares as empty', 'reason=', true],
  ])('matches %s', (_name, selector, expected) => {
    expect(matchesFields(event as never, parseFieldSelector(selector)!)).toBe(expected);
  });

  it('rejects a term without an operator', () => {
    expect(parseFieldSelector('type')).toBeUndefined();
  });
});
