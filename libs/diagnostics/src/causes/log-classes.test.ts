// The class catalog against the messages the runtimes and servers themselves document or print. Each
// row names its source: the runtime's error table or source file, or the server's documentation.
import { classifyLogs, decisiveSignal, describeSignal } from './logs';

const GO_ERRNO = 'go/src/syscall/zerrors_linux_amd64.go (errors table)';
const GO_NET = 'go/src/net/dial.go, net/lookup.go (OpError / DNSError formatting)';
const NODE_ERRORS = 'nodejs.org/api/errors.html#common-system-errors';
const JAVA_NET = 'docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/package-summary.html';
const PY_ERRNO = 'docs.python.org/3/library/exceptions.html#os-exceptions';
const GLIBC_GAI = 'glibc sysdeps/posix/gai_strerror-strs.h';
const MUSL_GAI = 'musl src/network/gai_strerror.c';

describe.each([
  // dependency unreachable: refused, reset, timeout, no route
  [
    GO_ERRNO,
    'dial tcp 10.96.0.12:5432: connect: connection refused',
    'connection-refused',
    { host: '10.96.0.12', port: 5432 },
  ],
  [
    GO_ERRNO,
    'read tcp 10.0.1.5:43512->10.96.0.20:6379: read: connection reset by peer',
    'connection-reset',
    { host: '10.96.0.20', port: 6379 },
  ],
  [
    GO_ERRNO,
    'dial tcp 10.96.0.30:8080: connect: no route to host',
    'no-route',
    { host: '10.96.0.30', port: 8080 },
  ],
  [
    GO_ERRNO,
    'dial tcp 10.96.0.31:8080: connect: connection timed out',
    'timeout',
    { host: '10.96.0.31', port: 8080 },
  ],
  [NODE_ERRORS, 'Error: read ECONNRESET', 'connection-reset', {}],
  [NODE_ERRORS, 'Error: connect ETIMEDOUT 10.0.0.9:443', 'timeout', { host: '10.0.0.9', port: 443 }],
  [NODE_ERRORS, 'Error: connect EHOSTUNREACH 10.0.0.9:443', 'no-route', { host: '10.0.0.9', port: 443 }],
  [JAVA_NET, 'java.net.ConnectException: Connection refused', 'connection-refused', {}],
  [JAVA_NET, 'java.net.SocketTimeoutException: connect timed out', 'timeout', {}],
  [JAVA_NET, 'java.net.NoRouteToHostException: No route to host', 'no-route', {}],
  [JAVA_NET, 'java.net.SocketException: Connection reset', 'connection-reset', {}],
  [PY_ERRNO, 'ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused', {}],
  [PY_ERRNO, 'ConnectionResetError: [Errno 104] Connection reset by peer', 'connection-reset', {}],
  // name resolution, in each runtime's phrasing
  [GO_NET, 'dial tcp: lookup payments on 10.96.0.10:53: no such host', 'dns-failure', { host: 'payments' }],
  [
    JAVA_NET + ' (UnknownHostException)',
    'java.net.UnknownHostException: orders-db: Name or service not known',
    'dns-failure',
    { host: 'orders-db' },
  ],
  [GLIBC_GAI, 'socket.gaierror: [Errno -3] Temporary failure in name resolution', 'dns-failure', {}],
  [MUSL_GAI, 'socket.gaierror: [Errno -2] Name does not resolve', 'dns-failure', {}],
  [
    'urllib3 src/urllib3/exceptions.py NameResolutionError',
    "urllib3.exceptions.NameResolutionError: <urllib3.connection.HTTPConnection object at 0x7f3c>: Failed to resolve 'inventory' ([Errno -3] Temporary failure in name resolution)",
    'dns-failure',
    { host: 'inventory' },
  ],
  [
    NODE_ERRORS + ' (ENOTFOUND)',
    'Error: getaddrinfo EAI_AGAIN cart.shop.svc.cluster.local',
    'dns-failure',
    { host: 'cart.shop.svc.cluster.local' },
  ],
  [
    'curl.se/libcurl/c/libcurl-errors.html (CURLE_COULDNT_RESOLVE_HOST)',
    'curl: (6) Could not resolve host: payments',
    'dns-failure',
    { host: 'payments' },
  ],
  [
    'PostgreSQL libpq fe-connect.c',
    'could not translate host name "orders-db" to address: Name or service not known',
    'dns-failure',
    { host: 'orders-db' },
  ],
  [
    'nginx.org/en/docs/http/ngx_http_upstream_module.html (names resolve at start)',
    'nginx: [emerg] host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:5',
    'dns-failure',
    { host: 'backend', port: 8080 },
  ],
  // TLS
  [
    'go/src/crypto/x509/verify.go (UnknownAuthorityError)',
    'tls: failed to verify certificate: x509: certificate signed by unknown authority',
    'tls-error',
    {},
  ],
  [
    'go/src/crypto/x509/verify.go (CertificateInvalidError Expired)',
    'x509: certificate has expired or is not yet valid: current time 2025-10-21T10:00:00Z is after 2025-10-01T00:00:00Z',
    'cert-expired',
    {},
  ],
  [
    'JSSE reference guide, PKIX path building',
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    'tls-error',
    {},
  ],
  [
    'docs.python.org/3/library/ssl.html#ssl.SSLCertVerificationError',
    'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
    'tls-error',
    {},
  ],
  [
    'nodejs.org/api/tls.html (X509 certificate error codes)',
    'Error: certificate has expired',
    'cert-expired',
    {},
  ],
  [
    'curl.se/libcurl/c/libcurl-errors.html (CURLE_PEER_FAILED_VERIFICATION)',
    'curl: (60) SSL certificate problem: unable to get local issuer certificate',
    'tls-error',
    {},
  ],
  // authentication and authorization
  [
    'kubernetes.io/docs/reference/access-authn-authz/rbac/ (RBAC denial)',
    'pods is forbidden: User "system:serviceaccount:shop:api" cannot list resource "pods" in API group "" in the namespace "shop"',
    'forbidden',
    { subject: 'list pods in namespace shop (system:serviceaccount:shop:api)' },
  ],
  [
    'kubernetes.io/docs/reference/access-authn-authz/rbac/ (cluster scope)',
    'nodes is forbidden: User "system:serviceaccount:ops:agent" cannot watch resource "nodes" in API group "" at the cluster scope',
    'forbidden',
    { subject: 'watch nodes at cluster scope (system:serviceaccount:ops:agent)' },
  ],
  [
    'postgresql.org/docs/current/client-authentication-problems.html',
    'FATAL:  password authentication failed for user "app"',
    'auth-failure',
    {},
  ],
  [
    'dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html (ER_ACCESS_DENIED_ERROR 1045)',
    "ERROR 1045 (28000): Access denied for user 'app'@'10.0.1.5' (using password: YES)",
    'auth-failure',
    {},
  ],
  [
    'redis.io/docs/latest/operate/oss_and_stack/management/security/acl/',
    'WRONGPASS invalid username-password pair or user is disabled.',
    'auth-failure',
    {},
  ],
  // disk full and read-only file system
  [
    GO_ERRNO + ' (ENOSPC)',
    'write /data/wal/000012.log: no space left on device',
    'disk-full',
    { subject: '/data/wal/000012.log' },
  ],
  [NODE_ERRORS + ' (ENOSPC)', 'Error: ENOSPC: no space left on device, write', 'disk-full', {}],
  [
    'PostgreSQL (docs: "Disk Full Failure")',
    'PANIC:  could not write to file "pg_wal/xlogtemp.123": No space left on device',
    'disk-full',
    {},
  ],
  [
    GO_ERRNO + ' (EROFS)',
    'open /etc/app/cache.db: read-only file system',
    'read-only-fs',
    { subject: '/etc/app/cache.db' },
  ],
  [
    NODE_ERRORS + ' (EROFS)',
    "Error: EROFS: read-only file system, open '/app/data/state.json'",
    'read-only-fs',
    { subject: '/app/data/state.json' },
  ],
  // in-process memory exhaustion
  [
    'docs.oracle.com/javase/8/docs/technotes/guides/troubleshoot/memleaks002.html',
    'java.lang.OutOfMemoryError: Java heap space',
    'oom',
    {},
  ],
  [
    'docs.oracle.com/javase/8/docs/technotes/guides/troubleshoot/memleaks002.html',
    'java.lang.OutOfMemoryError: GC overhead limit exceeded',
    'oom',
    {},
  ],
  [
    'V8 heap limit (nodejs.org/api/cli.html#--max-old-space-sizesize-in-mib)',
    'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory',
    'oom',
    {},
  ],
  ['docs.python.org/3/library/exceptions.html#MemoryError', 'MemoryError', 'oom', {}],
  ['go/src/runtime/malloc.go (throw)', 'fatal error: runtime: out of memory', 'oom', {}],
  // configuration parse and validation
  [
    'docs.spring.io/spring-boot/reference/features/spring-application.html#features.spring-application.startup-failure',
    'APPLICATION FAILED TO START',
    'config-error',
    {},
  ],
  [
    'Spring PropertyPlaceholderHelper',
    'Could not resolve placeholder \'DB_URL\' in value "${DB_URL}"',
    'missing-env',
    { subject: 'DB_URL' },
  ],
  [
    'nginx src/core/ngx_conf_file.c',
    'nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:12',
    'config-error',
    { subject: 'proxy_passs' },
  ],
  ['go/src/flag/flag.go (failf)', 'flag provided but not defined: -listen-addr', 'config-error', {}],
  // shell scripts and missing commands
  [
    'gnu.org/software/bash/manual (set -u)',
    '/docker-entrypoint.sh: line 12: DB_HOST: unbound variable',
    'missing-env',
    { subject: 'DB_HOST' },
  ],
  ['dash(1) command search', 'sh: 1: pyhton: not found', 'command-not-found', { subject: 'pyhton' }],
  [
    'bash(1) command search',
    'bash: line 1: ngnix: command not found',
    'command-not-found',
    { subject: 'ngnix' },
  ],
  // port bind failures
  [
    NODE_ERRORS + ' (EADDRINUSE)',
    'Error: listen EADDRINUSE: address already in use :::3000',
    'port-in-use',
    {},
  ],
  [
    'Spring Boot PortInUseException',
    'Web server failed to start. Port 8080 was already in use.',
    'port-in-use',
    { port: 8080 },
  ],
  [
    GO_ERRNO + ' (EACCES on a privileged port)',
    'listen tcp :80: bind: permission denied',
    'bind-failure',
    { port: 80 },
  ],
  [
    'nginx ngx_open_listening_sockets',
    'nginx: [emerg] bind() to 0.0.0.0:80 failed (13: Permission denied)',
    'bind-failure',
    { port: 80 },
  ],
  [PY_ERRNO + ' (EADDRINUSE)', 'OSError: [Errno 98] Address already in use', 'port-in-use', {}],
  // saturation: pools and limits exhausted
  [
    'php-src sapi/fpm/fpm/fpm_process_ctl.c',
    '[07-Dec-2025 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
    'saturation',
    { subject: 'php-fpm pool www at pm.max_children (5)' },
  ],
  [
    'gunicorn arbiter.py (murder_workers)',
    '[2025-10-21 10:00:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:12)',
    'saturation',
    {},
  ],
  [
    'HikariCP HikariPool.createTimeoutException',
    'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
    'saturation',
    { subject: 'HikariCP pool HikariPool-1 exhausted (no connection within 30000 ms)' },
  ],
  [
    'api.rubyonrails.org ActiveRecord::ConnectionTimeoutError',
    'ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds (waited 5.001 seconds); all pooled connections were in use)',
    'saturation',
    {},
  ],
  [
    'docs.sqlalchemy.org/en/20/errors.html#error-3o7r',
    'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00',
    'saturation',
    { subject: 'the SQLAlchemy QueuePool (size 5, overflow 10) is exhausted' },
  ],
  [
    'nginx src/core/ngx_connection.c (ngx_get_connection)',
    '2025/10/21 10:00:00 [alert] 7#7: 1024 worker_connections are not enough',
    'saturation',
    {},
  ],
  [
    'postgresql.org/docs/current/runtime-config-connection.html (max_connections)',
    'FATAL:  sorry, too many clients already',
    'saturation',
    { subject: 'PostgreSQL max_connections is reached' },
  ],
  [
    'redis.io/docs/latest/develop/reference/eviction/ (noeviction)',
    "OOM command not allowed when used memory > 'maxmemory'.",
    'saturation',
    {},
  ],
  // requests over a limit the server's configuration sets
  [
    'nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size',
    '2025/10/21 10:00:00 [error] 22#22: *98 client intended to send too large body: 13768984 bytes, client: 10.0.2.131, server: _, request: "POST /api/v1/avatar HTTP/1.1"',
    'request-limit',
    { subject: 'nginx client_max_body_size is below the request bodies (13768984 bytes)' },
  ],
  [
    'github.com/expressjs/body-parser (413 entity.too.large)',
    'PayloadTooLargeError: request entity too large',
    'request-limit',
    {},
  ],
  [
    'docs.spring.io MaxUploadSizeExceededException',
    'org.springframework.web.multipart.MaxUploadSizeExceededException: Maximum upload size exceeded',
    'request-limit',
    {},
  ],
  // fatal startup errors the servers document
  [
    'github.com/docker-library/postgres docker-entrypoint.sh',
    'Error: Database is uninitialized and superuser password is not specified.',
    'missing-env',
    { subject: 'POSTGRES_PASSWORD' },
  ],
  [
    'github.com/docker-library/mysql docker-entrypoint.sh',
    '2025-10-21T10:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
    'missing-env',
    { subject: 'MYSQL_ROOT_PASSWORD' },
  ],
  [
    'postgresql.org/docs/current/server-start.html (data directory checks)',
    'FATAL:  data directory "/var/lib/postgresql/data" has wrong ownership',
    'startup-failure',
    { subject: 'PostgreSQL: data directory "/var/lib/postgresql/data" has wrong ownership' },
  ],
  [
    'dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html (MY-010457)',
    '2025-10-21T10:00:00.000000Z 0 [ERROR] [MY-010457] [Server] --initialize specified but the data directory has files in it. Aborting.',
    'startup-failure',
    { subject: 'MySQL MY-010457: --initialize specified but the data directory has files in it. Aborting.' },
  ],
  [
    'redis src/rdb.c (rdbLoad)',
    "1:M 21 Oct 2025 10:00:00.000 # Can't handle RDB format version 12",
    'startup-failure',
    { subject: "Redis: Can't handle RDB format version 12" },
  ],
  [
    'redis src/config.c (loadServerConfigFromString)',
    '*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***',
    'startup-failure',
    {},
  ],
  [
    'nginx src/core/nginx.c',
    'nginx: [emerg] open() "/etc/nginx/nginx.conf" failed (2: No such file or directory)',
    'missing-file',
    { subject: '/etc/nginx/nginx.conf' },
  ],
  [
    'docs.oracle.com/en/java/javase/21/docs/specs/man/java.html',
    'Error: Could not find or load main class com.example.App',
    'startup-failure',
    { subject: 'JVM: Error: Could not find or load main class com.example.App' },
  ],
  [
    'docs.oracle.com/en/java/javase/21/docs/specs/man/java.html',
    "Unrecognized VM option 'UseConcMarkSweepGC'",
    'startup-failure',
    {},
  ],
  [
    'nodejs.org/api/modules.html (MODULE_NOT_FOUND)',
    "Error: Cannot find module '/app/dist/server.js'",
    'missing-file',
    { subject: '/app/dist/server.js' },
  ],
])('%s', (_source, line, kind, fields) => {
  it(`classifies "${line.slice(0, 80)}" as ${kind}`, () => {
    expect(decisiveSignal([line])).toMatchObject({ kind, ...fields });
  });
});

describe('describeSignal', () => {
  it.each([
    ['sh: 1: pyhton: not found', 'the command "pyhton" is not found in the image (did you mean "python"?)'],
    [
      '/bin/sh: gunicron: not found',
      'the command "gunicron" is not found in the image (did you mean "gunicorn"?)',
    ],
    ['sh: 1: my-worker: not found', 'the command "my-worker" is not found in the image'],
    ['java.lang.OutOfMemoryError: Java heap space', 'it runs out of memory (JVM heap exhausted)'],
    [
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'it runs out of memory (Node.js heap limit reached)',
    ],
    ['MemoryError', 'it runs out of memory (Python MemoryError)'],
    ['fatal error: runtime: out of memory', 'it runs out of memory (Go runtime cannot allocate)'],
    [
      'configmaps is forbidden: User "system:serviceaccount:shop:api" cannot get resource "configmaps" in API group "" in the namespace "shop"',
      'the Kubernetes API forbids it to get configmaps in namespace shop (system:serviceaccount:shop:api): its ServiceAccount lacks the RBAC permission',
    ],
  ])('%s', (line, text) => {
    expect(describeSignal(decisiveSignal([line])!)).toBe(text);
  });
});

describe('classifyLogs over the log model', () => {
  it('reads a JSON line by its message and error fields, quoting the line as logged', () => {
    const line =
      '{"level":"error","msg":"cannot reach ledger","error":"could not translate host name \\"ledger-db\\" to address: Name or service not known"}';
    expect(classifyLogs([line])).toEqual([
      { kind: 'dns-failure', line, index: 0, count: 1, host: 'ledger-db' },
    ]);
  });

  it('ignores what a debug-level event says', () => {
    expect(
      classifyLogs([
        '2025-10-21 09:59:00,001 DEBUG probe: dial tcp 10.0.0.1:80: connect: connection refused',
      ]),
    ).toEqual([]);
  });

  it('finds the root cause at the end of a Java trace longer than the event bound', () => {
    const lines = [
      '2025-10-21T09:59:06.000Z ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed',
      ...Array.from({ length: 100 }, (_, i) => `\tat com.example.Frame${i}.run(Frame.java:${i})`),
      'Caused by: java.net.UnknownHostException: ledger-db',
    ];
    expect(decisiveSignal(lines)).toMatchObject({ kind: 'dns-failure', host: 'ledger-db' });
  });
});
