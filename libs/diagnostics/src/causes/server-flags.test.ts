import { container } from '../__fixtures__/build';
import { type LogSignal } from './logs';
import { timeoutRaise } from './server-flags';

const timeouts: LogSignal[] = [
  {
    kind: 'saturation',
    count: 5,
    line: '[2025-10-21 09:59:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:12)',
    index: 7,
    subject: 'gunicorn workers timing out (all busy or stuck)',
  },
];

describe("timeoutRaise: a server's timeout flag its requests run into", () => {
  it.each([
    [
      '--timeout 30 in command',
      { command: ['gunicorn', 'app.wsgi', '--timeout', '30'] },
      'command',
      ['gunicorn', 'app.wsgi', '--timeout', '120'],
    ],
    ['--timeout=45 in args', { args: ['app.wsgi', '--timeout=45'] }, 'args', ['app.wsgi', '--timeout=180']],
    ['-t 200 (capped at 10 minutes)', { args: ['-t', '200', 'app.wsgi'] }, 'args', ['-t', '600', 'app.wsgi']],
    [
      '-t 5 (raised to at least a minute)',
      { command: ['gunicorn', '-t', '5'] },
      'command',
      ['gunicorn', '-t', '60'],
    ],
  ])('rewrites %s', (_name, spec, field, argv) => {
    expect(timeoutRaise(container('api', spec), timeouts)).toMatchObject({ field, argv });
  });

  it('is none without the flag on the command line, or without the signal', () => {
    expect(timeoutRaise(container('api', { command: ['gunicorn', 'app.wsgi'] }), timeouts)).toBeUndefined();
    expect(timeoutRaise(container('api', { command: ['gunicorn', '--timeout', '30'] }), [])).toBeUndefined();
  });
});
