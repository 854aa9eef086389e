import { formatBytes, formatQuantity, parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['1.5', 1.5],
    [2, 2],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['2G', 2e9],
    ['1e3', 1000],
    ['500k', 500_000],
    ['40153100n', 0.0401531],
  ])('%s', (value, expected) => {
    expect(parseQuantity(value)).toBeCloseTo(expected, 6);
  });

  it.each([['ten'], ['1Xi'], [''], [undefined], [Number.NaN]])('rejects %p', (value) => {
    expect(parseQuantity(value as string)).toBeUndefined();
  });
});

describe('formatQuantity', () => {
  it('formats per resource kind', () => {
    expect(formatQuantity('requests.memory', 7680 * 2 ** 20)).toBe('7.5Gi');
    expect(formatQuantity('limits.cpu', 0.25)).toBe('250m');
    expect(formatQuantity('pods', 10)).toBe('10');
    expect(formatBytes(512)).toBe('512');
  });
});
