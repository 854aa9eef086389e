import { StatusError } from '../api/status';
import { formatLabelSelector, fromStructured, matchesLabels, parseLabelSelector } from './labels';

const labels = { app: 'web', tier: 'frontend', version: '3' };

describe('parseLabelSelector + matchesLabels', () => {
  it.each([
    ['equality matches', 'app=web', true],
    ['double equals matches', 'app==web', true],
    ['inequality rejects the same value', 'app!=web', false],
    ['inequality accepts a missing key', 'missing!=x', true],
    ['set membership', 'tier in (backend, frontend)', true],
    ['set exclusion', 'tier notin (frontend)', false],
    ['notin accepts a missing key', 'missing notin (a)', true],
    ['exists', 'version', true],
    ['does not exist', '!version', false],
    ['does not exist on a missing key', '!missing', true],
    ['greater than', 'version>2', true],
    ['less than', 'version<3', false],
    ['requirements are ANDed', 'app=web,tier=backend', false],
    ['empty selector matches everything', '', true],
    ['commas inside parentheses do not split', 'tier in (a,frontend),app=web', true],
    ['prefixed keys', 'app.kubernetes.io/name!=x', true],
  ])('%s: %s', (_name, selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each([
    ['unbalanced parenthesis', 'tier in (a,b'],
    ['bad key', '-bad=x'],
    ['bad value', 'app=no spaces'],
    ['non-integer gt', 'version>abc'],
    ['empty term', 'app=web,'],
  ])('400 BadRequest for %s', (_name, selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(StatusError);
    try {
      parseLabelSelector(selector);
    } catch (err) {
      expect((err as StatusError).code).toBe(400);
    }
  });
});

describe('structured selectors', () => {
  it('converts matchLabels and matchExpressions and prints them back', () => {
    const sel = fromStructured({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(matchesLabels(sel, labels)).toBe(true);
    expect(formatLabelSelector(sel)).toBe('app=web,tier in (frontend,edge),!canary');
  });

  it('an empty structured selector matches everything', () => {
    expect(matchesLabels(fromStructured({}), {})).toBe(true);
  });
});
