import { containerProgram, execNotFound } from './behaviour';
import { compileShell } from './shell';

const ash = { commands: new Set(['echo', 'sleep', 'cat', 'touch', 'rm']), dialect: 'ash' as const };

describe('declared behaviour', () => {
  it.each([
    [
      'echo hello; exit 3',
      [
        { op: 'log', line: 'hello' },
        { op: 'exit', code: 3 },
      ],
    ],
    [
      'false && echo no || echo yes',
      [
        { op: 'log', line: 'yes' },
        { op: 'exit', code: 0 },
      ],
    ],
    [
      'sleep 5; echo "done $NAME"',
      [
        { op: 'sleep', seconds: 5 },
        { op: 'log', line: 'done web' },
        { op: 'exit', code: 0 },
      ],
    ],
    ['sleep infinity; echo never', [{ op: 'sleep', seconds: Infinity }]],
    [
      'frobnicate --now',
      [
        { op: 'log', line: 'sh: frobnicate: not found' },
        { op: 'exit', code: 127 },
      ],
    ],
    [
      'cat /tmp/x',
      [
        { op: 'log', line: "cat: can't open '/tmp/x': No such file or directory" },
        { op: 'exit', code: 1 },
      ],
    ],
    [
      'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600',
      [
        { op: 'file', path: '/tmp/healthy', content: '' },
        { op: 'sleep', seconds: 30 },
        { op: 'unlink', path: '/tmp/healthy' },
        { op: 'sleep', seconds: 600 },
        { op: 'exit', code: 0 },
      ],
    ],
    [
      'while true; do echo tick; sleep 2; done',
      [
        {
          op: 'loop',
          body: [
            { op: 'log', line: 'tick' },
            { op: 'sleep', seconds: 2 },
          ],
        },
      ],
    ],
  ])('sh -c %j', (script, steps) => {
    expect(compileShell(script, ash, { NAME: 'web' })).toEqual(steps);
  });

  it('runs an image default, refuses a command the image lacks, and keeps unknown images running', () => {
    expect(containerProgram({ image: 'busybox:1.36' })).toEqual([{ op: 'exit', code: 0 }]);
    expect(containerProgram({ image: 'busybox:1.36', command: ['/app/run'] })).toEqual({
      startError: execNotFound('/app/run'),
    });
    expect(execNotFound('foo')).toBe(
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "foo": executable file not found in $PATH: unknown',
    );
    expect(containerProgram({ image: 'postgres:16' })).toContainEqual({ op: 'exit', code: 1 });
    expect(
      containerProgram({ image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] }),
    ).toContainEqual({
      op: 'listen',
      port: 5432,
    });
    expect(containerProgram({ image: 'web:1', ports: [{ containerPort: 8080 }] })).toEqual([
      { op: 'listen', port: 8080 },
      { op: 'sleep', seconds: Infinity },
    ]);
    expect(
      containerProgram({
        image: 'polinux/stress',
        command: ['stress'],
        args: ['--vm', '1', '--vm-bytes', '250M'],
      }),
    ).toEqual([
      { op: 'memory', bytes: 250 * 1024 * 1024 },
      { op: 'sleep', seconds: Infinity },
    ]);
  });
});
