import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeIsolation } from './isolation';

let bin: string;
beforeEach(() => {
  bin = mkdtempSync(path.join(tmpdir(), 'fh-isolation-'));
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

describe('what make up says about sandbox isolation', () => {
  it('warns loudly without isolation, naming missing binaries as missing and how to install one', () => {
    expect(describeIsolation('none', bin)).toStrictEqual({
      summary: 'NONE: sandboxes run as plain processes',
      warning: true,
      details: [
        'runsc is not installed (not found on PATH)',
        'bwrap is not installed (not found on PATH)',
        'Install one and run again: `sudo apt-get install bubblewrap` (Debian/Ubuntu), or gVisor: https://gvisor.dev/docs/user_guide/install/',
      ],
    });
  });

  it('tells an installed binary that did not work from a missing one', () => {
    writeFileSync(path.join(bin, 'bwrap'), '#!/bin/sh\nexit 1\n');
    chmodSync(path.join(bin, 'bwrap'), 0o755);
    expect(describeIsolation('none', bin).details.slice(0, 2)).toStrictEqual([
      'runsc is not installed (not found on PATH)',
      `bwrap installed at ${path.join(bin, 'bwrap')} but did not work here (see the sandbox-manager log)`,
    ]);
  });

  it('names the driver in use without a warning', () => {
    expect(describeIsolation('gvisor', bin)).toMatchObject({ warning: false, details: [] });
    expect(describeIsolation('bwrap', bin)).toStrictEqual({
      summary: 'bubblewrap: read-only host, private /tmp, own namespaces, no capabilities',
      warning: false,
      details: ['gVisor would be stronger: runsc is not installed (not found on PATH)'],
    });
  });
});
