// Log line classification: finds the decisive line in a container's log tail (the one a human SRE
// would quote) and what it names: the missing env var, the command, the host:port refused, the
// host that does not resolve. Patterns cover the phrasing of the common runtimes (Go, Node.js,
// Python, JVM, libpq, shells); the most specific class wins over generic panics and stack traces.

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

/** Lines longer than this are classified on their head only, keeping every regex cheap. */
const MAX_LINE = 2000;
/** Only the newest lines of a tail are read. */
export const MAX_LINES_READ = 500;

const ENV = '([A-Z][A-Z0-9_]{1,})';
/** Case variants spelled out: the ENV group must stay case-sensitive, so no `i` flag. */
const ENV_WORDS = '[Ee]nvironment [Vv]ariable|[Ee]nv [Vv]ar(?:iable)?|ENV|[Ee]nv';
const HOST =
  '([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])';

type Extract = (m: RegExpExecArray, line: string) => Partial<LogSignal>;

interface Pattern {
  kind: LogSignalKind;
  re: RegExp;
  extract?: Extract;
}

const subject: Extract = (m) => ({ subject: m[1] });
const hostPort: Extract = (m, line) => {
  const host = m[1];
  const port = m[2] ? Number(m[2]) : undefined;
  if (host) return { host: stripBrackets(host), port };
  return findHostPort(line);
};

const PATTERNS: Pattern[] = [
  // command not found
  { kind: 'command-not-found', re: /exec: "([^"]+)": executable file not found/, extract: subject },
  {
    kind: 'command-not-found',
    re: /exec(?:ve)?\s*\(?"?([^\s":)]+)"?\)?: no such file or directory/,
    extract: subject,
  },
  { kind: 'command-not-found', re: /(?:^|\s|:)([\w./-]+): (?:command )?not found\s*$/, extract: subject },
  { kind: 'command-not-found', re: /(?:^|\s)([\w./-]+): No such file or directory\s*$/, extract: subject },
  // missing environment variables
  {
    kind: 'missing-env',
    re: new RegExp(
      `(?:${ENV_WORDS})s?\\s*[:"'\`]?\\s*${ENV}["'\`]?\\s+(?:is\\s+)?(?:not set|not defined|missing|required|undefined|empty|unset)`,
    ),
    extract: subject,
  },
  {
    kind: 'missing-env',
    re: new RegExp(
      `(?:[Mm]issing|[Uu]ndefined|[Uu]nset|[Rr]equired)\\s+(?:required\\s+)?(?:${ENV_WORDS}|[Cc]onfig(?:uration)? (?:value|key))s?\\s*[:"'\`]?\\s*${ENV}`,
    ),
    extract: subject,
  },
  { kind: 'missing-env', re: new RegExp(`KeyError: ['"]${ENV}['"]`), extract: subject },
  { kind: 'missing-env', re: new RegExp(`required key ${ENV} missing value`), extract: subject },
  {
    kind: 'missing-env',
    re: new RegExp(
      `\\b${ENV}\\s+(?:(?:${ENV_WORDS})\\s+)?(?:must be set|is required|is not set|not set|is undefined|is empty|is missing|must be defined|must be provided|required)`,
    ),
    extract: subject,
  },
  // configuration and syntax
  {
    kind: 'syntax-error',
    re: /\b(?:SyntaxError|yaml: line \d+|YAMLException|JSONDecodeError|json: cannot unmarshal|invalid character '.' looking for|Unexpected token|ParseError|parse error|TomlDecodeError|unexpected end of JSON input|\[emerg\])/,
  },
  {
    kind: 'config-error',
    re: /(?:unknown flag|flag provided but not defined|unrecognized (?:option|argument)s?|Error: unknown (?:command|option)|invalid (?:configuration|config|value for|argument))\s*:?\s*['"]?([^\s'"]*)/i,
    extract: subject,
  },
  // database statements the server rejects (constraint violations, missing tables or columns)
  {
    kind: 'database-error',
    re: /(?:could not create unique index|duplicate key value violates unique constraint|violates (?:foreign key|not-null|check|exclusion) constraint) "([^"]+)"/,
    extract: subject,
  },
  {
    kind: 'database-error',
    re: /(?:relation|column|table) "?([\w.]+)"? (?:of relation "[^"]+" )?does not exist|Unknown column '([^']+)'|Table '([^']+)' doesn't exist/,
    extract: (m) => ({ subject: m[1] ?? m[2] ?? m[3] }),
  },
  {
    kind: 'database-error',
    re: /\b(?:UniqueViolation|IntegrityError|ForeignKeyViolation|NotNullViolation|UndefinedTable|UndefinedColumn|ER_DUP_ENTRY|Duplicate entry '[^']*' for key)\b/,
  },
  // files and permissions
  {
    kind: 'missing-file',
    re: /(?:open|stat|read|load(?:ing)?)\s+([^\s:]+): no such file or directory/i,
    extract: subject,
  },
  {
    kind: 'missing-file',
    re: /ENOENT: no such file or directory, (?:open|stat|scandir|lstat) '([^']+)'/,
    extract: subject,
  },
  {
    kind: 'missing-file',
    re: /(?:FileNotFoundError|No such file or directory):? .*?'([^']+)'/,
    extract: subject,
  },
  { kind: 'missing-file', re: /Cannot find module '([^']+)'/, extract: subject },
  {
    kind: 'permission-denied',
    re: /permission denied|EACCES|Operation not permitted|read-only file system/i,
  },
  // TLS and credentials
  {
    kind: 'cert-expired',
    re: /certificate has expired|CERT_HAS_EXPIRED|certificate expired|certificate is expired|x509: certificate has expired or is not yet valid/i,
    extract: (_m, line) => findHostPort(line),
  },
  {
    kind: 'tls-error',
    re: /x509: certificate signed by unknown authority|x509: certificate is valid for|unable to verify the first certificate|self[- ]signed certificate|SSL(?:Error|: CERTIFICATE_VERIFY_FAILED)|tls: handshake failure/i,
    extract: (_m, line) => findHostPort(line),
  },
  {
    kind: 'auth-failure',
    re: /password authentication failed for user|Access denied for user|authentication failed|NOAUTH|WRONGPASS|invalid credentials|\b401 Unauthorized\b/i,
    extract: (_m, line) => findHostPort(line),
  },
  // name resolution
  {
    kind: 'dns-failure',
    re: new RegExp(`getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ${HOST}`),
    extract: (m) => ({ host: m[1] }),
  },
  {
    kind: 'dns-failure',
    re: new RegExp(
      `lookup ${HOST}(?: on [^:]+:\\d+)?: (?:no such host|server misbehaving|.*i/o timeout|Temporary failure)`,
    ),
    extract: (m) => ({ host: m[1] }),
  },
  {
    kind: 'dns-failure',
    re: new RegExp(`could not translate host name "${HOST}" to address`),
    extract: (m) => ({ host: m[1] }),
  },
  {
    kind: 'dns-failure',
    re: new RegExp(
      `(?:UnknownHostException|Could not resolve host|unknown host|Unknown host|Name does not resolve|nodename nor servname)[: ]+${HOST}`,
    ),
    extract: (m) => ({ host: m[1] }),
  },
  {
    kind: 'dns-failure',
    re: /Name or service not known|Temporary failure in name resolution|NXDOMAIN|no such host/,
    extract: (_m, line) => findHostPort(line),
  },
  // connections
  {
    kind: 'connection-refused',
    re: new RegExp(`(?:dial tcp|connect(?:ing)?(?: to)?) ${HOST}:(\\d+): connect: connection refused`),
    extract: hostPort,
  },
  { kind: 'connection-refused', re: new RegExp(`ECONNREFUSED ${HOST}:(\\d+)`), extract: hostPort },
  {
    kind: 'connection-refused',
    re: /connection refused|ECONNREFUSED|Connection refused/i,
    extract: (_m, line) => findHostPort(line),
  },
  {
    kind: 'timeout',
    re: new RegExp(
      `(?:dial tcp|connect(?:ing)?(?: to)?) ${HOST}:(\\d+): (?:i/o timeout|connect: connection timed out|operation timed out)`,
    ),
    extract: hostPort,
  },
  {
    kind: 'timeout',
    re: new RegExp(`(?:ETIMEDOUT|ECONNRESET|EHOSTUNREACH) ${HOST}:(\\d+)`),
    extract: hostPort,
  },
  {
    kind: 'timeout',
    re: /connection timed out|Connection timed out|ETIMEDOUT|context deadline exceeded|i\/o timeout|timed out (?:after|connecting|waiting)|no route to host|EHOSTUNREACH/i,
    extract: (_m, line) => findHostPort(line),
  },
  {
    kind: 'upstream-error',
    re: /\b(?:50[0234])\b.*(?:Service Unavailable|Bad Gateway|Gateway Timeout|Internal Server Error)|(?:upstream|dependency|backend)\b.*\b(?:50[0234]|unavailable|unhealthy)\b/i,
    extract: (_m, line) => findHostPort(line),
  },
  // memory
  {
    kind: 'oom',
    re: /OutOfMemoryError|JavaScript heap out of memory|Cannot allocate memory|MemoryError|out of memory|OOMKilled|memory limit exceeded/i,
  },
  // ports
  {
    kind: 'port-in-use',
    re: /EADDRINUSE|address already in use/i,
    extract: (_m, line) => findHostPort(line),
  },
  // crashes without a more specific cause
  {
    kind: 'panic',
    re: /^panic:|\bpanic: |Traceback \(most recent call last\)|Unhandled(?:Promise)?Rejection|uncaughtException|Exception in thread "|^\s*(?:FATAL|Fatal error|fatal error)\b|\bFATAL\b|segmentation fault|SIGSEGV|core dumped/,
  },
];

function stripBrackets(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

const HOST_PORT =
  /(?:https?:\/\/|tcp:\/\/|@|\s|"|'|\(|^|=)((?:[a-zA-Z][a-zA-Z0-9-]*(?:\.[a-zA-Z0-9-]+)*)|(?:\d{1,3}(?:\.\d{1,3}){3})):(\d{2,5})\b/g;
const URL_HOST = /https?:\/\/([a-zA-Z0-9.-]+)(?::(\d+))?/;
/** libpq and psycopg name the server apart from its port: `host "db" ... port 5432`, `server at "db" (10.0.0.1), port 5432`. */
const LIBPQ_HOST = /(?:host|server at) "([^"]+)".*?port (\d+)/;

/** The first `host:port` or URL host in a line, skipping times like `12:30`. */
export function findHostPort(line: string): { host?: string; port?: number } {
  const pq = LIBPQ_HOST.exec(line);
  if (pq) return { host: pq[1], port: Number(pq[2]) };
  HOST_PORT.lastIndex = 0;
  for (let m = HOST_PORT.exec(line); m; m = HOST_PORT.exec(line)) {
    const port = Number(m[2]);
    if (port > 0 && port < 65536 && !/^(?:localhost|line|port|at|time)$/i.test(m[1]))
      return { host: m[1], port };
  }
  const url = URL_HOST.exec(line);
  if (url) return { host: url[1], port: url[2] ? Number(url[2]) : undefined };
  return {};
}

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

const LISTEN =
  /(?:listen(?:ing)?|serving|server (?:started|running)|started (?:server|http|on)|running on|bound to|accepting connections)\b[^\n]{0,60}?(?:port(?:\(s\))?\s*[:=]?\s*(\d{2,5})\b|(?:https?:\/\/)?(?:[\w.-]+|\[[\w:]*\])?:(\d{2,5})\b)/i;

/** The ports the process says it listens on, newest mention first. */
export function listeningPorts(lines: readonly string[]): { port: number; line: string }[] {
  const ports: { port: number; line: string }[] = [];
  const seen = new Set<number>();
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - MAX_LINES_READ); i--) {
    const m = LISTEN.exec(lines[i].length > MAX_LINE ? lines[i].slice(0, MAX_LINE) : lines[i]);
    const port = m ? Number(m[1] ?? m[2]) : 0;
    if (port > 0 && port < 65536 && !seen.has(port)) {
      seen.add(port);
      ports.push({ port, line: lines[i] });
    }
  }
  return ports;
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
