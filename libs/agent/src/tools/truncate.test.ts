import { truncateOutput } from './truncate';

const lines = (n: number, width = 9) =>
  Array.from({ length: n }, (_, i) => `line ${String(i).padStart(width - 5, '0')}`).join('\n');

describe('truncateOutput', () => {
  it('leaves output within the budget untouched', () => {
    expect(truncateOutput('short', 100)).toEqual({ text: 'short' });
  });

  it('keeps the head in whole lines and says how much was cut', () => {
    const { text, cut } = truncateOutput(lines(100), 50);
    expect(text.split('\n').slice(0, -1)).toEqual([
      'line 0000',
      'line 0001',
      'line 0002',
      'line 0003',
      'line 0004',
    ]);
    expect(cut).toBe('95 later lines (1 KB)');
    expect(text).toMatch(/\[\.\.\. 95 later lines \(1 KB\) cut to fit the output budget; narrow the query/);
  });

  it('keeps the tail of logs behind a marker', () => {
    const { text, cut } = truncateOutput(lines(100), 50, 'tail');
    expect(cut).toBe('95 earlier lines (1 KB)');
    expect(text.split('\n')).toEqual([
      expect.stringContaining('95 earlier lines'),
      'line 0095',
      'line 0096',
      'line 0097',
      'line 0098',
      'line 0099',
    ]);
  });

  it.each([
    ['head', 'x'.repeat(500), /^x+ \[line cut\]\n/],
    ['tail', 'y'.repeat(500), /\n\[line cut\] y+$/],
  ] as const)('cuts inside a single line longer than the budget (%s)', (keep, text, shape) => {
    const out = truncateOutput(text, 100, keep);
    expect(out.text).toMatch(shape);
    expect(out.cut).toBeDefined();
  });
});
