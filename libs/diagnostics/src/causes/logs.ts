// Log line classification: finds the decisive line in a container's log tail (the one a human SRE
// would quote) and what it names: the missing env var, the command, the host:port refused, the
// host that does not resolve. Patterns cover the phrasing of the common runtimes (Go, Node.js,
// Python, JVM, libpq, shells); the most specific class wins over generic panics and stack traces.
import { MAX_LINE, MAX_LINES_READ } from './log-limits';
import { PATTERNS } from './log-patterns';

export type LogSignalKind =
  | 'command-not-found'
  | 'missing-env'
  | 'syntax-error'
  | 'config-error'
  | 'missing-file'
  | 'database-error'
  | 'permission-denied'
  | 'cert-expired'
  | 'tls-error'
  | 'auth-failure'
  | 'dns-failure'
  | 'connection-refused'
  | 'timeout'
  | 'upstream-error'
  | 'oom'
  | 'port-in-use'
  | 'panic';

export interface LogSignal {
  kind: LogSignalKind;
  /** The decisive line, as logged. */
  line: string;
  /** Index of the line in the tail it came from. */
  index: number;
  /** How many lines of the tail fall in this class. */
  count: number;
  host?: string;
  port?: number;
  /** The env var, command or file the line names. */
  subject?: string;
}

/** Most specific first: the first class found in this order is the decisive one. */
export const SIGNAL_PRIORITY: LogSignalKind[] = [
  'command-not-found',
  'missing-env',
  'syntax-error',
  'config-error',
  'missing-file',
  'database-error',
  'cert-expired',
  'tls-error',
  'auth-failure',
  'dns-failure',
  'connection-refused',
  'timeout',
  'permission-denied',
  'upstream-error',
  'oom',
  'port-in-use',
  'panic',
];

/** Dependency classes: the container cannot reach something else. */
export const DEPENDENCY_SIGNALS = new Set<LogSignalKind>([
  'dns-failure',
  'connection-refused',
  'timeout',
  'upstream-error',
  'tls-error',
  'cert-expired',
  'auth-failure',
]);

/** Reachability classes: the dependency's endpoints, ports and policies explain these. */
export const REACHABILITY_SIGNALS = new Set<LogSignalKind>([
  'dns-failure',
  'connection-refused',
  'timeout',
  'upstream-error',
]);

/**
 * Errors whose subject sits on the line before: pydantic prints the field name alone on one line and
 * "Field required [type=missing" on the next (pydantic-settings reads fields from env vars, so a
 * missing field is a missing variable of the same name).
 */
function classifyWithPrevious(
  line: string,
  previous: string | undefined,
): Omit<LogSignal, 'index' | 'count'> | undefined {
  if (previous === undefined || !/^\s*Field required \[type=missing/.test(line)) return undefined;
  const field = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(previous);
  return field
    ? { kind: 'missing-env', line: `${previous.trim()}\n${line.trim()}`, subject: field[1].toUpperCase() }
    : undefined;
}

function classifyLine(line: string, previous?: string): Omit<LogSignal, 'index' | 'count'> | undefined {
  const withPrevious = classifyWithPrevious(line, previous);
  if (withPrevious) return withPrevious;
  const head = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
  for (const p of PATTERNS) {
    const m = p.re.exec(head);
    if (!m) continue;
    const extra = p.extract?.(m, head) ?? {};
    const signal: Omit<LogSignal, 'index' | 'count'> = { kind: p.kind, line };
    if (extra.host) signal.host = extra.host;
    if (extra.port) signal.port = extra.port;
    if (extra.subject) signal.subject = extra.subject;
    return signal;
  }
  return undefined;
}

/** One signal per class found in the tail (its last occurrence), most specific class first. */
export function classifyLogs(lines: readonly string[]): LogSignal[] {
  const start = Math.max(0, lines.length - MAX_LINES_READ);
  const found = new Map<LogSignalKind, LogSignal>();
  for (let i = start; i < lines.length; i++) {
    const signal = classifyLine(lines[i], lines[i - 1]);
    if (!signal) continue;
    const prior = found.get(signal.kind);
    // Keep the last line of a class, but never lose the host a previous line of it named.
    found.set(signal.kind, {
      ...signal,
      host: signal.host ?? prior?.host,
      port: signal.host ? signal.port : (prior?.port ?? signal.port),
      index: i,
      count: (prior?.count ?? 0) + 1,
    });
    if (!found.get(signal.kind)!.host) delete found.get(signal.kind)!.host;
    if (!found.get(signal.kind)!.port) delete found.get(signal.kind)!.port;
  }
  return SIGNAL_PRIORITY.flatMap((kind) => (found.has(kind) ? [found.get(kind)!] : []));
}

/** The decisive signal: the most specific class present. */
export function decisiveSignal(lines: readonly string[]): LogSignal | undefined {
  return classifyLogs(lines)[0];
}

/** A short phrase for the cause a signal names, used in finding causes. */
export function describeSignal(s: LogSignal): string {
  const target = s.host ? `${s.host}${s.port ? `:${s.port}` : ''}` : undefined;
  switch (s.kind) {
    case 'command-not-found':
      return `the command${s.subject ? ` "${s.subject}"` : ''} is not found in the image`;
    case 'missing-env':
      return `the required environment variable${s.subject ? ` ${s.subject}` : ''} is not set`;
    case 'syntax-error':
      return 'its configuration fails to parse (syntax error)';
    case 'config-error':
      return `it rejects its configuration or arguments${s.subject ? ` (${s.subject})` : ''}`;
    case 'missing-file':
      return `a file it needs does not exist${s.subject ? `: ${s.subject}` : ''}`;
    case 'permission-denied':
      return 'it is denied permission to a file or operation';
    case 'database-error':
      if (/duplicate|unique/i.test(s.line))
        return `the database rejects its statement: a unique constraint${s.subject ? ` (${s.subject})` : ''} is violated by duplicate rows`;
      if (/does not exist|Unknown column|doesn't exist|Undefined/i.test(s.line))
        return `the database has no ${s.subject ?? 'table or column'} it expects (schema mismatch)`;
      return `the database rejects its statement${s.subject ? ` (${s.subject})` : ''}: a constraint is violated`;
    case 'cert-expired':
      return `a TLS certificate has expired${target ? ` (${target})` : ''}`;
    case 'tls-error':
      return `TLS verification fails${target ? ` for ${target}` : ''}`;
    case 'auth-failure':
      return `authentication is rejected${target ? ` by ${target}` : ''}`;
    case 'dns-failure':
      return `the name ${s.host ?? 'of a dependency'} does not resolve (DNS failure)`;
    case 'connection-refused':
      return `connections to ${target ?? 'a dependency'} are refused`;
    case 'timeout':
      return `connections to ${target ?? 'a dependency'} time out`;
    case 'upstream-error':
      return `a dependency${target ? ` (${target})` : ''} answers with server errors`;
    case 'oom':
      return 'it runs out of memory';
    case 'port-in-use':
      return `its port${s.port ? ` ${s.port}` : ''} is already in use`;
    case 'panic':
      return 'the process panics or dies on an unhandled error';
  }
}

const signalMemo = new WeakMap<readonly string[], LogSignal[]>();

/** `classifyLogs`, computed once per log tail however many analyzers ask. */
export function signalsOf(lines: readonly string[]): LogSignal[] {
  let signals = signalMemo.get(lines);
  if (!signals) {
    signals = classifyLogs(lines);
    signalMemo.set(lines, signals);
  }
  return signals;
}
