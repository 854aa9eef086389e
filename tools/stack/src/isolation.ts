// What `make up` and `make demo` print about sandbox isolation: the driver the sandbox-manager chose,
// and for each stronger one whether its binary is installed at all (looked up on PATH here, so a
// missing binary is reported as missing rather than as whatever error running it gave), with how to
// install one when sandboxes run without isolation.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const BINARIES = { gvisor: 'runsc', bwrap: 'bwrap' } as const;

/** The binary's path on PATH, or undefined when it is not installed. */
export function onPath(binary: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(':').filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

export interface IsolationReport {
  /** Short, for the banner line. */
  summary: string;
  /** True when sandboxes run without isolation: the caller prints `details` loudly. */
  warning: boolean;
  details: string[];
}

export function describeIsolation(driver: string | undefined, envPath = process.env.PATH ?? ''): IsolationReport {
  const found = (d: keyof typeof BINARIES) => {
    const at = onPath(BINARIES[d], envPath);
    return at ? `${BINARIES[d]} installed at ${at} but did not work here (see the sandbox-manager log)` : `${BINARIES[d]} is not installed (not found on PATH)`;
  };
  if (driver === 'gvisor') return { summary: 'gVisor (runsc): each sandbox runs under its own user-space kernel', warning: false, details: [] };
  if (driver === 'bwrap')
    return {
      summary: 'bubblewrap: read-only host, private /tmp, own namespaces, no capabilities',
      warning: false,
      details: [`gVisor would be stronger: ${found('gvisor')}`],
    };
  return {
    summary: driver === 'none' ? 'NONE: sandboxes run as plain processes' : 'unknown (the sandbox-manager did not say)',
    warning: true,
    details: [
      found('gvisor'),
      found('bwrap'),
      'Install one and run again: `sudo apt-get install bubblewrap` (Debian/Ubuntu), or gVisor: https://gvisor.dev/docs/user_guide/install/',
    ],
  };
}
