import { parseCliArgs } from './main';

describe('parseCliArgs', () => {
  it('defaults to both offline engines, every lane, the repository corpus, a table and a full pass', () => {
    const args = parseCliArgs([]);
    expect(args).toMatchObject({
      command: 'run',
      engine: ['diagnostics', 'agent-offline'],
      lanes: ['plain', 'renamed', 'neutral', 'noise', 'merged'],
      json: false,
      threshold: 1,
      repeat: 1,
      ablate: [],
    });
    expect(args.scenarios).toHaveLength(2);
    expect(args.out).toMatch(/\.foxhound\/eval\/report\.json$/);
  });

  it('calibrates with the diagnostics engine into the shipped table', () => {
    expect(parseCliArgs(['calibrate'])).toMatchObject({
      command: 'calibrate',
      engine: ['diagnostics'],
      out: expect.stringMatching(/libs\/diagnostics\/src\/confidence\/calibration\.json$/),
    });
  });

  it('takes repeated scenario directories, lanes, JSON, a threshold and the model flags', () => {
    expect(
      parseCliArgs([
        '--scenarios',
        'a',
        '--scenarios',
        'b',
        '--lanes',
        'plain,renamed',
        '--json',
        '--threshold',
        '0.8',
        '--engine',
        'agent-claude',
        '--repeat',
        '3',
        '--max-cost',
        '2.5',
        '--ablate',
        'run_diagnostics',
        '--record',
        'rec',
        '--out',
        'r.json',
      ]),
    ).toEqual({
      command: 'run',
      scenarios: ['a', 'b'],
      engine: ['agent-claude'],
      lanes: ['plain', 'renamed'],
      json: true,
      out: 'r.json',
      threshold: 0.8,
      repeat: 3,
      maxCost: 2.5,
      ablate: ['run_diagnostics'],
      record: 'rec',
    });
  });

  it.each([
    [
      'an unknown engine',
      ['--engine', 'gpt'],
      '--engine: Invalid option: expected one of "agent-claude"|"diagnostics"|"agent-offline"',
    ],
    ['an unknown lane', ['--lanes', 'plain,shuffled'], '--lanes: Invalid option'],
    ['a threshold above 1', ['--threshold', '1.5'], '--threshold: Too big: expected number to be <=1'],
    ['a repeat of 0', ['--repeat', '0'], '--repeat: Too small'],
    ['an unknown flag', ['--fast'], "Unknown option '--fast'"],
    ['an unknown command', ['rank'], '--command: Invalid option'],
    [
      'model flags without the model engine',
      ['--ablate', 'run_diagnostics'],
      '--ablate, --record, --model and --max-cost apply to --engine agent-claude only',
    ],
  ])('rejects %s', (_name, argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
