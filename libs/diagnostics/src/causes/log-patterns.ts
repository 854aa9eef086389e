// The log patterns, per class: the phrasing of the common runtimes (Go, Node.js, Python, JVM, libpq,
// shells) for each cause the classifier names, with what each captures (env var, command, host, port).
import { type LogSignal, type LogSignalKind } from './logs';
import { findHostPort, stripBrackets } from './log-targets';

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

export const PATTERNS: Pattern[] = [
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
