// Cause classes of a container's log, as a view over the log model (src/logs): the model parses
// and folds the tail into events with severities; each event's lines are matched against the class
// catalog (log-patterns.ts) and the decisive line (the one a human SRE would quote) is kept per class
// with what it names: the missing env var, the command, the host:port refused, the host that does not
// resolve, the verb and resource a Kubernetes client is forbidden. Debug and trace events are not
// read: a stack trace logged at debug level is not a failure. The most specific class wins.
import { analyzeLog } from '../logs/analyze';
import { type LogEvent } from '../logs/types';
import { closestCommand } from './commands';
import { MAX_LINE, MAX_LINES_READ } from './log-limits';
import { mayMatch, PATTERNS } from './log-patterns';

export type LogSignalKind =
  | 'command-not-found'
  | 'missing-env'
  | 'syntax-error'
  | 'config-error'
  | 'startup-failure'
  | 'saturation'
  | 'request-limit'
  | 'missing-file'
  | 'database-error'
  | 'disk-full'
  | 'read-only-fs'
  | 'permission-denied'
  | 'cert-expired'
  | 'tls-error'
  | 'forbidden'
  | 'auth-failure'
  | 'dns-failure'
  | 'connection-refused'
  | 'connection-reset'
  | 'no-route'
  | 'timeout'
  | 'upstream-error'
  | 'oom'
  | 'port-in-use'
  | 'bind-failure'
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
  'startup-failure',
  'missing-file',
  'database-error',
  'disk-full',
  'read-only-fs',
  'cert-expired',
  'tls-error',
  'forbidden',
  'auth-failure',
  'dns-failure',
  'connection-refused',
  'connection-reset',
  'no-route',
  'timeout',
  'permission-denied',
  'upstream-error',
  // A full pool is most often the consequence of a dependency failing (above) or of a leak.
  'saturation',
  'request-limit',
  'oom',
  'port-in-use',
  'bind-failure',
  'panic',
];

/** Dependency classes: the container cannot reach something else. */
export const DEPENDENCY_SIGNALS = new Set<LogSignalKind>([
  'dns-failure',
  'connection-refused',
  'connection-reset',
  'no-route',
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
  'connection-reset',
  'no-route',
  'timeout',
  'upstream-error',
]);

/** Classes that break the process itself whether or not it restarts: one of these in a Ready pod is news. */
export const FATAL_SIGNALS = new Set<LogSignalKind>([
  'oom',
  'disk-full',
  'read-only-fs',
  'forbidden',
  'startup-failure',
  'saturation',
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
  if (!mayMatch(head)) return undefined;
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

/** The lines of an event to classify, with their tail index; structured lines by their message. */
function* eventLines(e: LogEvent, lines: readonly string[]): Generator<{ text: string; index: number }> {
  if (e.format === 'json' || e.format === 'logfmt') {
    // The raw line escapes quotes and interleaves fields; its message and error read as the runtime wrote them.
    yield { text: e.summary === e.message ? e.message : `${e.message}\n${e.summary}`, index: e.index };
    return;
  }
  for (let k = 0; k < e.lines.length; k++)
    yield { text: lines[e.index + k] ?? e.lines[k], index: e.index + k };
  // The frames beyond the event bound are dropped, but not the root cause a long Java trace ends with.
  if (e.lineCount > e.lines.length) yield { text: e.summary, index: e.index + e.lineCount - 1 };
}

/** One signal per class found in the newest lines (its last occurrence), most specific class first. */
export function classifyLogs(lines: readonly string[]): LogSignal[] {
  const start = Math.max(0, lines.length - MAX_LINES_READ);
  const found = new Map<LogSignalKind, LogSignal>();
  // Debug and trace events, lines that state they are informational and requests answered below 500
  // name no failure: the model keeps only the others (notable).
  for (const event of analyzeLog(lines).notable) {
    if (event.index + event.lineCount <= start) continue;
    let previous: string | undefined;
    for (const { text, index } of eventLines(event, lines)) {
      const prior = previous;
      previous = text;
      if (index < start) continue;
      const signal = classifyLine(text, prior);
      if (!signal) continue;
      const known = found.get(signal.kind);
      // Keep the last line of a class, but never lose the host a previous line of it named.
      const next: LogSignal = { ...signal, index, count: (known?.count ?? 0) + 1 };
      // A structured line is matched on its message but quoted as logged.
      if ((event.format === 'json' || event.format === 'logfmt') && lines[index] !== undefined)
        next.line = lines[index];
      const host = signal.host ?? known?.host;
      const port = signal.host ? signal.port : (known?.port ?? signal.port);
      if (host) next.host = host;
      else delete next.host;
      if (port) next.port = port;
      else delete next.port;
      found.set(signal.kind, next);
    }
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
    case 'command-not-found': {
      const guess = s.subject ? closestCommand(s.subject) : undefined;
      return `the command${s.subject ? ` "${s.subject}"` : ''} is not found in the image${guess ? ` (did you mean "${guess}"?)` : ''}`;
    }
    case 'request-limit':
      return `requests exceed a limit its configuration sets${s.subject ? `: ${s.subject}` : ''}`;
    case 'saturation':
      return `it is saturated: ${s.subject ?? 'a pool it depends on is exhausted'}`;
    case 'startup-failure':
      return `the server refuses to start${s.subject ? `: ${s.subject}` : ''}`;
    case 'disk-full':
      return `its disk is full (no space left on device${s.subject ? `, writing ${s.subject}` : ''})`;
    case 'read-only-fs':
      return `it writes to a read-only file system${s.subject ? ` (${s.subject})` : ''}`;
    case 'forbidden':
      return `the Kubernetes API forbids it${s.subject ? ` to ${s.subject}` : ' an operation'}: its ServiceAccount lacks the RBAC permission`;
    case 'connection-reset':
      return `connections to ${target ?? 'a dependency'} are reset`;
    case 'no-route':
      return `there is no route to ${target ?? 'a dependency'}`;
    case 'bind-failure':
      return `it cannot bind its listening port${s.port ? ` ${s.port}` : ''} (permission or address not available)`;
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
      return `it runs out of memory${memoryRuntime(s.line)}`;
    case 'port-in-use':
      return `its port${s.port ? ` ${s.port}` : ''} is already in use`;
    case 'panic':
      return 'the process panics or dies on an unhandled error';
  }
}

/** Which runtime's allocator gave up, from its own wording. */
function memoryRuntime(line: string): string {
  if (/Java heap space|GC overhead limit|OutOfMemoryError/.test(line)) return ' (JVM heap exhausted)';
  if (/JavaScript heap|Reached heap limit|mark-compacts near heap limit/.test(line))
    return ' (Node.js heap limit reached)';
  if (/MemoryError/.test(line)) return ' (Python MemoryError)';
  if (/runtime: (?:out of memory|cannot allocate)/.test(line)) return ' (Go runtime cannot allocate)';
  return '';
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
