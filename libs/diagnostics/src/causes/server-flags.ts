// A server's own time limit set on its command line, when its log says requests run into it. Each
// entry is a server whose documentation names the flag and what hitting it logs: gunicorn kills a
// sync worker that is silent for longer than `--timeout` (default 30 s) and logs "WORKER TIMEOUT"
// (docs.gunicorn.org/en/stable/settings.html#timeout). The fix raised here is the stopgap an SRE
// applies while the slow work moves off the request path; the finding says so.
import { type Container } from '../snapshot';
import { type LogSignal } from './logs';

interface TimeoutFlag {
  /** The saturation signal's subject this server's timeout produces. */
  subject: RegExp;
  /** Spellings of the flag: `--timeout 30`, `--timeout=30`, `-t 30`. */
  flags: string[];
}

const TIMEOUT_FLAGS: TimeoutFlag[] = [
  { subject: /^gunicorn workers timing out/, flags: ['--timeout', '-t'] },
];

/** The raised timeout: four times the current one, at least 60 s and at most 10 minutes. */
const raise = (seconds: number) => Math.min(600, Math.max(60, seconds * 4));

export interface TimeoutRaise {
  field: 'command' | 'args';
  argv: string[];
  from: number;
  to: number;
}

function rewrite(
  argv: readonly string[],
  flags: string[],
): { argv: string[]; from: number; to: number } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = flags.find((f) => a.startsWith(`${f}=`));
    if (eq) {
      const from = Number(a.slice(eq.length + 1));
      if (!Number.isFinite(from) || from <= 0) return undefined;
      const to = raise(from);
      return { argv: argv.map((x, j) => (j === i ? `${eq}=${to}` : x)), from, to };
    }
    if (flags.includes(a) && i + 1 < argv.length) {
      const from = Number(argv[i + 1]);
      if (!Number.isFinite(from) || from <= 0) return undefined;
      const to = raise(from);
      return { argv: argv.map((x, j) => (j === i + 1 ? String(to) : x)), from, to };
    }
  }
  return undefined;
}

/** The command line with the server's timeout raised, when the log shows requests hitting it. */
export function timeoutRaise(c: Container, signals: readonly LogSignal[]): TimeoutRaise | undefined {
  for (const s of signals) {
    if (s.kind !== 'saturation' || s.count < 2 || !s.subject) continue;
    const server = TIMEOUT_FLAGS.find((t) => t.subject.test(s.subject!));
    if (!server) continue;
    for (const field of ['command', 'args'] as const) {
      const found = rewrite(c[field] ?? [], server.flags);
      if (found) return { field, ...found };
    }
  }
  return undefined;
}
