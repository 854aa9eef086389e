// What the common servers and their client libraries document they print when they cannot start or
// run out of a pool: part of the class catalog (log-patterns.ts), kept apart for size.
import { type Pattern, subject } from './log-pattern';

/**
 * Saturation: a worker, connection or memory pool is exhausted. php-fpm (fpm_process_ctl.c), gunicorn
 * (arbiter.py), HikariCP (HikariPool.createTimeoutException), Rails ActiveRecord, SQLAlchemy's
 * QueuePool, nginx (ngx_event_connect/accept), PostgreSQL and MySQL connection limits, Redis maxmemory
 * (server.c shared.oomerr), Envoy circuit breakers.
 */
export const SATURATION_PATTERNS: Pattern[] = [
  {
    kind: 'saturation',
    re: /\[pool ([\w.-]+)\] server reached (?:pm\.)?max_children setting \((\d+)\)/,
    extract: (m) => ({ subject: `php-fpm pool ${m[1]} at pm.max_children (${m[2]})` }),
  },
  {
    kind: 'saturation',
    re: /WORKER TIMEOUT \(pid:\d+\)/,
    extract: () => ({ subject: 'gunicorn workers timing out (all busy or stuck)' }),
  },
  {
    kind: 'saturation',
    re: /(HikariPool-\d+|[\w-]+) - Connection is not available, request timed out after (\d+)ms/,
    extract: (m) => ({ subject: `HikariCP pool ${m[1]} exhausted (no connection within ${m[2]} ms)` }),
  },
  {
    kind: 'saturation',
    re: /could not obtain a connection from the pool within [\d.]+ seconds|ActiveRecord::ConnectionTimeoutError/,
    extract: () => ({ subject: 'the ActiveRecord connection pool is exhausted' }),
  },
  {
    kind: 'saturation',
    re: /QueuePool limit of size (\d+) overflow (\d+) reached/,
    extract: (m) => ({ subject: `the SQLAlchemy QueuePool (size ${m[1]}, overflow ${m[2]}) is exhausted` }),
  },
  {
    kind: 'saturation',
    re: /(\d+) worker_connections are not enough/,
    extract: (m) => ({ subject: `nginx worker_connections (${m[1]}) are exhausted` }),
  },
  {
    kind: 'saturation',
    re: /sorry, too many clients already|remaining connection slots are reserved/,
    extract: () => ({ subject: 'PostgreSQL max_connections is reached' }),
  },
  {
    kind: 'saturation',
    re: /\b(?:1040|ER_CON_COUNT_ERROR)\b.*Too many connections|Too many connections/,
    extract: () => ({ subject: 'MySQL max_connections is reached' }),
  },
  {
    kind: 'saturation',
    re: /OOM command not allowed when used memory > 'maxmemory'/,
    extract: () => ({ subject: 'Redis is at maxmemory and its policy evicts nothing (writes refused)' }),
  },
  {
    kind: 'saturation',
    re: /Timeout acquiring a connection\. The pool is probably full|RejectedExecutionException|reset reason: overflow/,
    extract: () => ({ subject: 'a connection or worker pool is full' }),
  },
];

/**
 * Fatal startup errors as the servers document them: the official images' entrypoints
 * (docker-library postgres and mysql `docker-entrypoint.sh`), PostgreSQL's and MySQL's server
 * messages, Redis's loader and config parser, nginx's `[emerg]` open/bind errors, the JVM launcher.
 */
export const STARTUP_PATTERNS: Pattern[] = [
  {
    kind: 'missing-env',
    re: /Database is uninitialized and superuser password is not specified/,
    extract: () => ({ subject: 'POSTGRES_PASSWORD' }),
  },
  {
    kind: 'missing-env',
    re: /[Dd]atabase is uninitialized and password option is not specified/,
    extract: () => ({ subject: 'MYSQL_ROOT_PASSWORD' }),
  },
  {
    kind: 'startup-failure',
    re: /(?:FATAL|PANIC):\s+(data directory "[^"]+" has (?:wrong ownership|invalid permissions)|database files are incompatible with server|could not locate a valid checkpoint record|could not create lock file "[^"]+"|could not open file "[^"]+"|lock file "[^"]+" already exists)|initdb: error: (directory "[^"]+" exists but is not empty)/,
    extract: (m) => ({ subject: `PostgreSQL: ${m[1] ?? m[2]}` }),
  },
  {
    kind: 'startup-failure',
    re: /\[ERROR\] \[(MY-\d+)\] \[(?:Server|InnoDB)\] (?!Aborting)(.+)/,
    extract: (m) => ({ subject: `MySQL ${m[1]}: ${m[2].slice(0, 160)}` }),
  },
  {
    kind: 'startup-failure',
    re: /(Fatal error loading the DB|Can't handle RDB format version \d+|Bad file format reading the append only file|\*\*\* FATAL CONFIG FILE ERROR|Wrong signature trying to load DB from file)/,
    extract: (m) => ({ subject: `Redis: ${m[1]}` }),
  },
  {
    kind: 'missing-file',
    re: /\[emerg\] open\(\) "([^"]+)" failed \(2: No such file or directory\)/,
    extract: subject,
  },
  {
    kind: 'bind-failure',
    re: /\[emerg\] bind\(\) to [^\s]*?:(\d+) failed \(13: Permission denied\)/,
    extract: (m) => ({ port: Number(m[1]) }),
  },
  {
    kind: 'port-in-use',
    re: /\[emerg\] bind\(\) to [^\s]*?:(\d+) failed \(98: Address (?:already )?in use\)/,
    extract: (m) => ({ port: Number(m[1]) }),
  },
  {
    kind: 'startup-failure',
    re: /(Error: Could not find or load main class \S+|Error occurred during initialization of VM|Unrecognized VM option '[^']+'|Invalid (?:maximum|initial) heap size: \S+|Could not reserve enough space for (?:object heap|\d+KB object heap))/,
    extract: (m) => ({ subject: `JVM: ${m[1]}` }),
  },
];

/**
 * Requests over a limit the server's configuration sets: nginx client_max_body_size
 * (ngx_http_core_module: "client intended to send too large body") and proxy buffers ("upstream sent
 * too big header"), Express body-parser's limit, Spring's multipart limits, gunicorn's request line.
 */
export const REQUEST_LIMIT_PATTERNS: Pattern[] = [
  {
    kind: 'request-limit',
    re: /client intended to send too large body: (\d+) bytes/,
    extract: (m) => ({ subject: `nginx client_max_body_size is below the request bodies (${m[1]} bytes)` }),
  },
  {
    kind: 'request-limit',
    re: /upstream sent too big header/,
    extract: () => ({ subject: "nginx proxy_buffer_size is below the upstream's response headers" }),
  },
  {
    kind: 'request-limit',
    re: /PayloadTooLargeError: request entity too large/,
    extract: () => ({ subject: "body-parser's limit is below the request bodies" }),
  },
  {
    kind: 'request-limit',
    re: /MaxUploadSizeExceededException|SizeLimitExceededException|FileSizeLimitExceededException/,
    extract: () => ({ subject: "Spring's multipart max-file-size or max-request-size is below the uploads" }),
  },
  {
    kind: 'request-limit',
    re: /Request Line is too large|LimitRequestLine/,
    extract: () => ({ subject: "gunicorn's limit_request_line is below the request lines" }),
  },
];
