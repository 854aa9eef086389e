import { addQuantities, formatQuantity, parseQuantity } from './quantity';

describe('parseQuantity and formatQuantity', () => {
  it.each([
    ['250m', '250m'],
    ['0.25', '250m'],
    ['1', '1'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['2.5', '2500m'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['7680Mi', '7680Mi'],
    ['30517008Ki', '30517008Ki'],
    ['1000', '1k'],
    ['1500000', '1500k'],
    ['1M', '1M'],
    ['100n', '100n'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['1000Ki', '1000Ki'],
    ['512', '512'],
    ['0', '0'],
    ['-1Gi', '-1Gi'],
  ])('%s prints as %s', (text, printed) => {
    expect(formatQuantity(parseQuantity(text)!)).toBe(printed);
  });

  it.each(['', 'abc', '1Gb', '1 Gi', '--1', '1e1000', null, {}])('%j is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it('a sum takes the format of its first non-zero term, as Quantity.Add does', () => {
    const zero = parseQuantity('0')!;
    const gi = parseQuantity('512Mi')!;
    expect(formatQuantity(addQuantities(addQuantities(zero, gi), parseQuantity('3584Mi')!))).toBe('4Gi');
    expect(formatQuantity(addQuantities(parseQuantity('250m')!, parseQuantity('2')!))).toBe('2250m');
    expect(formatQuantity(addQuantities(parseQuantity('1000')!, parseQuantity('24')!))).toBe('1024');
  });
});
