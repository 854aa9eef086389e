// The log patterns, per class: the phrasing of the common runtimes (Go, Node.js, Python, JVM, libpq,
// shells) for each cause the classifier names, with what each captures (env var, command, host, port).
import { type LogSignal } from './logs';
import { type Extract, type Pattern, subject } from './log-pattern';
import { REQUEST_LIMIT_PATTERNS, SATURATION_PATTERNS, STARTUP_PATTERNS } from './log-server-patterns';
import { FORBIDDEN } from '../logs/entities';
import { findHostPort, stripBrackets } from './log-targets';

const ENV = '([A-Z][A-Z0-9_]{1,})';
/** Case variants spelled out: the ENV group must stay case-sensitive, so no `i` flag. */
const ENV_WORDS = '[Ee]nvironment [Vv]ariable|[Ee]nv [Vv]ar(?:iable)?|ENV|[Ee]nv';
const HOST =
  '([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])';

/** Go prints `read tcp LOCAL->REMOTE: …`: the remote end is the dependency. */
const remoteEnd = (line: string): Partial<LogSignal> => {
  const arrow = /->((?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-fA-F:]+\]):(\d+)/.exec(line);
  return arrow ? { host: stripBrackets(arrow[1]), port: Number(arrow[2]) } : findHostPort(line);
};

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
  // shell: `set -u` names the variable it lacks (bash(1), "unbound variable")
  {
    kind: 'missing-env',
    re: new RegExp(`(?:^|: )${ENV}: (?:unbound variable|parameter null or not set)`),
    extract: subject,
  },
  // Spring's placeholder resolution names the property or env var it could not find
  {
    kind: 'missing-env',
    re: /Could not resolve placeholder '([\w.-]+)'/,
    extract: (m) => ({ subject: m[1] }),
  },
  // nginx resolves upstream names at startup and refuses to start when one does not resolve
  {
    kind: 'dns-failure',
    re: new RegExp(`\\[emerg\\].*host not found in upstream "${HOST}(?::(\\d+))?"`),
    extract: hostPort,
  },
  // the fatal startup errors the servers' own documentation and entrypoints print
  ...STARTUP_PATTERNS,
  // pools and limits a process or its datastore ran out of, in each server's or library's own words
  ...SATURATION_PATTERNS,
  ...REQUEST_LIMIT_PATTERNS,
  // configuration and syntax
  {
    kind: 'config-error',
    re: /APPLICATION FAILED TO START|Failed to bind properties under '([^']+)'|validation errors? for (\w+)|\[emerg\] unknown directive "([^"]+)"|Invalid value for option|Error: invalid value "([^"]*)" for flag/,
    extract: (m) => ({ subject: m[1] ?? m[2] ?? m[3] ?? m[4] }),
  },
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
    kind: 'disk-full',
    re: /[Nn]o space left on device|ENOSPC|[Dd]isk (?:is )?full|could not extend file|MISCONF Redis is configured to save RDB snapshots|Disk quota exceeded|EDQUOT/,
    extract: (_m, line) => ({
      subject: /(?:file|open|write|extend file) "?([/\w.-]+\/[\w.-]+)"?/.exec(line)?.[1],
    }),
  },
  {
    kind: 'read-only-fs',
    re: /[Rr]ead-only file system|EROFS/,
    extract: (_m, line) => ({
      subject: /(?:open|mkdir|write|create|touch|cannot create)[^/'"]{0,20}['"]?(\/[\w./-]+)/.exec(line)?.[1],
    }),
  },
  // ports the process cannot bind (before the generic permission-denied: "bind: permission denied")
  {
    kind: 'bind-failure',
    re: /bind(?:\(\))?: (?:permission denied|cannot assign requested address)|EADDRNOTAVAIL|Cannot assign requested address|listen EACCES(?:: permission denied)? [^\s]*?:(\d+)/i,
    extract: (m, line) => ({
      port: m[1]
        ? Number(m[1])
        : Number(/(?:listen (?:tcp|udp)[46]? [^\s]*?|:):(\d{1,5}): bind/.exec(line)?.[1]) ||
          findHostPort(line).port,
    }),
  },
  {
    kind: 'permission-denied',
    // Case matters for EACCES: `createResourceAccessException` is not a permission error.
    re: /[Pp]ermission denied|PERMISSION DENIED|\bEACCES\b|Operation not permitted/,
  },
  // TLS and credentials
  {
    kind: 'cert-expired',
    re: /certificate has expired|CERT_HAS_EXPIRED|certificate expired|certificate is expired|x509: certificate has expired or is not yet valid/i,
    extract: (_m, line) => findHostPort(line),
  },
  {
    kind: 'tls-error',
    re: /x509: certificate signed by unknown authority|x509: certificate is valid for|tls: failed to verify certificate|unable to verify the first certificate|self[- ]signed certificate|SSL(?:Error|: CERTIFICATE_VERIFY_FAILED)|tls: handshake failure|remote error: tls: (?:bad certificate|unknown certificate authority)|PKIX path building failed|SSLHandshakeException|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_CERT_ALTNAME_INVALID|SSL certificate problem|certificate verify failed|wrong version number/i,
    extract: (_m, line) => findHostPort(line),
  },
  // in-cluster Kubernetes clients: the API server names the identity, verb and resource it refuses
  {
    kind: 'forbidden',
    re: FORBIDDEN,
    extract: (m) => ({
      subject: `${m[2]} ${m[4] ? `${m[3]}.${m[4]}` : m[3]}${m[5] ? ` in namespace ${m[5]}` : ' at cluster scope'} (${m[1]})`,
    }),
  },
  {
    kind: 'auth-failure',
    re: /AccessDenied(?:Exception)?|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|SASL authentication failed|Authentication failed\.|NOPERM|Login failed for user/,
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
    re: new RegExp(
      `Failed to resolve '${HOST}'|NameResolutionError.*?host='${HOST}'|No such host is known \\(${HOST}`,
    ),
    extract: (m) => ({ host: m[1] ?? m[2] ?? m[3] }),
  },
  {
    kind: 'dns-failure',
    re: /Name or service not known|Temporary failure in name resolution|Name does not resolve|NXDOMAIN|no such host|EAI_NONAME|EAI_AGAIN|No address associated with hostname|nodename nor servname|bad address '/,
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
    kind: 'connection-reset',
    re: /connection reset by peer|ECONNRESET|Connection reset|socket hang up|Broken pipe|EPIPE|server closed the connection unexpectedly/i,
    extract: (_m, line) => remoteEnd(line),
  },
  {
    kind: 'no-route',
    re: /no route to host|EHOSTUNREACH|Network is unreachable|ENETUNREACH|Host is unreachable/i,
    extract: (_m, line) => remoteEnd(line),
  },
  {
    kind: 'timeout',
    re: new RegExp(`ETIMEDOUT ${HOST}:(\\d+)`),
    extract: hostPort,
  },
  {
    kind: 'timeout',
    re: /connection timed out|Connection timed out|ETIMEDOUT|context deadline exceeded|i\/o timeout|timed out (?:after|connecting|waiting)|SocketTimeoutException|ConnectTimeoutException|ReadTimeout|ConnectTimeout/i,
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
    re: /OutOfMemoryError|JavaScript heap out of memory|Ineffective mark-compacts near heap limit|Reached heap limit|GC overhead limit exceeded|Cannot allocate memory|MemoryError|out of memory|OOMKilled|memory limit exceeded|runtime: cannot allocate memory|ENOMEM/i,
  },
  // ports
  {
    kind: 'port-in-use',
    re: /EADDRINUSE|address already in use|Port (\d+) was already in use|BindException: Address already in use/i,
    extract: (m, line) => (m[1] ? { port: Number(m[1]) } : findHostPort(line)),
  },
  // crashes without a more specific cause (saturation first: a FATAL line may say a pool is full)
  {
    kind: 'panic',
    re: /^panic:|\bpanic: |Traceback \(most recent call last\)|Unhandled(?:Promise)?Rejection|uncaughtException|Exception in thread "|^\s*(?:FATAL|Fatal error|fatal error)\b|\bFATAL\b|segmentation fault|SIGSEGV|core dumped/,
  },
];

/**
 * A cheap superset of every pattern above: one case-insensitive scan with words each pattern needs,
 * so the ~60 patterns only run on the few lines that could match (request and progress lines cannot).
 * A pattern added above must have one of its required words here.
 */
const REQUIRED_WORDS = [
  'not found',
  'no such',
  'not set',
  'not defined',
  'missing',
  'required',
  'undefined',
  'empty',
  'unset',
  'must be',
  'keyerror',
  'unbound variable',
  'parameter null',
  'placeholder',
  'uninitialized',
  'fatal',
  'panic',
  'error',
  'rdb',
  'bad file format',
  'wrong signature',
  '[emerg]',
  'main class',
  'initialization of vm',
  'vm option',
  'heap',
  'reserve enough',
  'failed to start',
  'bind',
  'validation',
  'invalid',
  'yaml',
  'json',
  'unexpected',
  'parse',
  'toml',
  'unknown',
  'unrecognized',
  'flag provided',
  'unique',
  'constraint',
  'does not exist',
  "doesn't exist",
  'violation',
  'duplicate',
  'enoent',
  'filenotfound',
  'cannot',
  'space left',
  'enospc',
  'disk',
  'could not',
  'misconf',
  'quota',
  'edquot',
  'read-only',
  'erofs',
  'eaddr',
  'assign requested',
  'eacces',
  'permission',
  'not permitted',
  'certificate',
  'cert_',
  'x509',
  'tls',
  'ssl',
  'pkix',
  'handshake',
  'unable_to_verify',
  'depth_zero',
  'verify failed',
  'wrong version',
  'denied',
  'invalidaccesskey',
  'signaturedoesnotmatch',
  'expiredtoken',
  'authentication',
  'noperm',
  'login failed',
  'password',
  'noauth',
  'wrongpass',
  'credentials',
  '401',
  'getaddrinfo',
  'lookup',
  'translate host',
  'unknownhost',
  'resolve',
  'nodename',
  'name or service',
  'name resolution',
  'nxdomain',
  'no address associated',
  'bad address',
  'refused',
  'timed out',
  'timeout',
  'reset',
  'hang up',
  'broken pipe',
  'epipe',
  'closed the connection',
  'no route',
  'unreachable',
  'etimedout',
  'deadline',
  '500',
  '502',
  '503',
  '504',
  'upstream',
  'dependency',
  'backend',
  'memory',
  'oom',
  'allocate',
  'in use',
  'traceback',
  'unhandled',
  'uncaught',
  'exception',
  'segmentation',
  'sigsegv',
  'core dumped',
  'exec',
  'user "',
  'max_children',
  'worker timeout',
  'not available',
  'pool',
  'too many',
  'worker_connections',
  'connection slots',
  'maxmemory',
  'rejectedexecution',
  'overflow',
  'too large',
  'too big',
  'uploadsize',
  'sizelimitexceeded',
  'limitrequestline',
];
const MAY_MATCH = new RegExp(
  REQUIRED_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  'i',
);

/** False when no pattern can match the line: most lines of a healthy log. */
export function mayMatch(line: string): boolean {
  return MAY_MATCH.test(line);
}
