import { parseCliArgs } from './main';

describe('parseCliArgs', () => {
  it('defaults to the diagnostics engine, all scenarios, a table and a full pass', () => {
    expect(parseCliArgs([])).toMatchObject({ engine: 'diagnostics', json: false, threshold: 1 });
    expect(parseCliArgs([]).scenarios).toHaveLength(1);
  });

  it('takes repeated scenario directories, JSON and a threshold', () => {
    expect(parseCliArgs(['--scenarios', 'a', '--scenarios', 'b', '--json', '--threshold', '0.8'])).toEqual({
      scenarios: ['a', 'b'],
      engine: 'diagnostics',
      json: true,
      threshold: 0.8,
    });
  });

  it.each([
    [
      'an unknown engine',
      ['--engine', 'gpt'],
      '--engine: Invalid option: expected one of "diagnostics"|"agent-offline"',
    ],
    ['a threshold above 1', ['--threshold', '1.5'], '--threshold: Too big: expected number to be <=1'],
    ['an unknown flag', ['--fast'], "Unknown option '--fast'"],
  ])('rejects %s', (_name, argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
