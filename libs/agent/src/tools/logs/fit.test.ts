import { fitLog, MAX_LINE_CHARS } from './fit';

const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} line ${i}`);

describe('fitLog', () => {
  it('returns everything when it fits', () => {
    expect(fitLog(['3 lines'], [{ lines: ['a', 'b', 'c'] }], 1_000, 'narrow')).toBe('3 lines\na\nb\nc');
  });

  it('keeps the header whole and the newest lines, behind a marker that says how to narrow', () => {
    const header = [
      '1,000 lines from the log of shop/web-1 (app).',
      'Error patterns: connection-refused x40.',
    ];
    const text = fitLog(header, [{ lines: lines('web', 1_000) }], 600, 'use grep or since');
    expect(text.length).toBeLessThanOrEqual(600);
    const out = text.split('\n');
    expect(out.slice(0, 2)).toEqual(header);
    expect(out[2]).toMatch(
      /^\[\.\.\. \d+ earlier line\(s\) cut to fit the output budget; use grep or since \.\.\.\]$/,
    );
    expect(out[out.length - 1]).toBe('web line 999');
  });

  it('shares the room between sections, and a small section leaves its share to the others', () => {
    const text = fitLog(
      ['header'],
      [
        { title: '== a', lines: ['only line'] },
        { title: '== b', lines: lines('b', 500) },
      ],
      1_000,
      'narrow',
    );
    expect(text.length).toBeLessThanOrEqual(1_000);
    const out = text.split('\n');
    expect(out.slice(0, 3)).toEqual(['header', '== a', 'only line']);
    expect(out).toContain('== b');
    expect(out[out.length - 1]).toBe('b line 499');
    expect(out.filter((l) => l.startsWith('b line')).length).toBeGreaterThan(30);
  });

  it('cuts a single enormous line inside the line', () => {
    const text = fitLog(['h'], [{ lines: ['x'.repeat(1_000_000)] }], 10_000, 'narrow');
    expect(text).toContain(`[line cut: 1000000 chars]`);
    expect(text.length).toBeLessThan(MAX_LINE_CHARS + 100);
  });
});
