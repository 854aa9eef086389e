import { findHostPort, listeningPorts } from './log-targets';
import { classifyLogs, decisiveSignal, describeSignal } from './logs';

describe('decisiveSignal', () => {
  it.each([
    [
      'Go exec of a missing binary',
      'exec: "notification-worker": executable file not found in $PATH: unknown',
      'command-not-found',
      { subject: 'notification-worker' },
    ],
    [
      'shell command not found',
      'sh: 1: start-server: not found',
      'command-not-found',
      { subject: 'start-server' },
    ],
    [
      'node missing env',
      'Error: Missing required environment variable: DATABASE_URL',
      'missing-env',
      { subject: 'DATABASE_URL' },
    ],
    [
      'plain "X is not set"',
      'FATAL: STRIPE_API_KEY is not set',
      'missing-env',
      { subject: 'STRIPE_API_KEY' },
    ],
    ['python KeyError on environ', "KeyError: 'REDIS_URL'", 'missing-env', { subject: 'REDIS_URL' }],
    ['Go envconfig', 'required key PORT missing value', 'missing-env', { subject: 'PORT' }],
    [
      'libpq refused',
      'could not connect to server: Connection refused Is the server running on host "postgres" (10.96.0.12) and accepting TCP/IP connections on port 5432?',
      'connection-refused',
      { host: 'postgres', port: 5432 },
    ],
    [
      'Go dial refused',
      'dial tcp 10.96.14.2:6379: connect: connection refused',
      'connection-refused',
      { host: '10.96.14.2', port: 6379 },
    ],
    [
      'node ECONNREFUSED',
      'Error: connect ECONNREFUSED 10.96.3.4:8080',
      'connection-refused',
      { host: '10.96.3.4', port: 8080 },
    ],
    [
      'node DNS',
      'Error: getaddrinfo ENOTFOUND payments.shop.svc.cluster.local',
      'dns-failure',
      { host: 'payments.shop.svc.cluster.local' },
    ],
    [
      'Go DNS timeout',
      'dial tcp: lookup db.internal on 10.96.0.10:53: read udp 10.0.0.5:4000->10.96.0.10:53: i/o timeout',
      'dns-failure',
      { host: 'db.internal' },
    ],
    [
      'Go DNS no such host',
      'dial tcp: lookup cart on 10.96.0.10:53: no such host',
      'dns-failure',
      { host: 'cart' },
    ],
    [
      'expired certificate',
      'x509: certificate has expired or is not yet valid: current time 2025-10-21 is after 2025-10-01',
      'cert-expired',
      {},
    ],
    [
      'unique violation',
      'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "orders_pkey"',
      'database-error',
      { subject: 'orders_pkey' },
    ],
    ['YAML syntax', 'error: yaml: line 12: did not find expected key', 'syntax-error', {}],
    ['JVM OOM', 'java.lang.OutOfMemoryError: Java heap space', 'oom', {}],
    [
      'node heap',
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'oom',
      {},
    ],
    ['Go panic', 'panic: runtime error: invalid memory address or nil pointer dereference', 'panic', {}],
    ['port in use', 'Error: listen EADDRINUSE: address already in use :::3000', 'port-in-use', {}],
    [
      'missing config file',
      'open /etc/app/config.yaml: no such file or directory',
      'missing-file',
      { subject: '/etc/app/config.yaml' },
    ],
  ])('%s', (_name, line, kind, fields) => {
    expect(decisiveSignal([line])).toMatchObject({ kind, line, index: 0, count: 1, ...fields });
  });

  it('reads a pydantic "Field required" across its two lines as a missing env var', () => {
    const lines = [
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings',
      'oidc_issuer_url',
      "  Field required [type=missing, input_value={'a': 1}, input_type=dict]",
    ];
    expect(decisiveSignal(lines)).toMatchObject({
      kind: 'missing-env',
      subject: 'OIDC_ISSUER_URL',
      index: 2,
    });
  });

  it('prefers the specific cause over the panic that follows it', () => {
    const lines = [
      'starting',
      'dial tcp 10.96.0.12:5432: connect: connection refused',
      'panic: cannot connect to database',
    ];
    expect(decisiveSignal(lines)).toMatchObject({
      kind: 'connection-refused',
      host: '10.96.0.12',
      port: 5432,
    });
  });

  it.each([
    [
      'healthy request logs',
      ['GET /healthz 200 1ms', 'processed order 1234 in 12ms', 'cache hit ratio 0.93'],
    ],
    ['a timestamp is not a host:port', ['2025-10-21 10:00:00 INFO started worker 3']],
    ['no lines', []],
  ])('finds nothing in %s', (_name, lines) => {
    expect(decisiveSignal(lines)).toBeUndefined();
  });

  it('counts every line of a class and keeps the last one', () => {
    const signals = classifyLogs([
      'dial tcp 10.0.0.1:80: connect: connection refused',
      'retrying',
      'dial tcp 10.0.0.1:80: connect: connection refused',
    ]);
    expect(signals).toEqual([
      {
        kind: 'connection-refused',
        line: 'dial tcp 10.0.0.1:80: connect: connection refused',
        index: 2,
        count: 2,
        host: '10.0.0.1',
        port: 80,
      },
    ]);
  });

  it('reads only the newest 500 lines of a long tail', () => {
    const lines = ['FATAL: DATABASE_URL is not set', ...Array.from({ length: 600 }, (_, i) => `ok ${i}`)];
    expect(decisiveSignal(lines)).toBeUndefined();
  });

  it('classifies a pathological line in bounded time by its head', () => {
    const line = `${'a:'.repeat(50_000)} connection refused`;
    expect(decisiveSignal([line])?.kind ?? 'none').toBe('none');
  });
});

describe('listeningPorts', () => {
  it.each([
    ['logfmt addr', 'level=INFO msg="http server listening" addr=:8081', 8081],
    ['uvicorn', 'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)', 8000],
    ['express', 'Server listening on port 3000', 3000],
    ['spring', 'Tomcat started on port(s): 8080 (http) with context path', 8080],
    ['no port mentioned', 'server started', undefined],
  ])('%s', (_name, line, port) => {
    expect(listeningPorts([line])[0]?.port).toBe(port);
  });
});

describe('findHostPort', () => {
  it('skips words that are not hosts and returns URL hosts', () => {
    expect(findHostPort('calling http://inventory.shop.svc:9090/items failed')).toEqual({
      host: 'inventory.shop.svc',
      port: 9090,
    });
    expect(findHostPort('retry at 10:30 failed')).toEqual({});
  });
});

describe('describeSignal', () => {
  it('names the subject', () => {
    expect(describeSignal({ kind: 'missing-env', line: '', index: 0, count: 1, subject: 'API_KEY' })).toBe(
      'the required environment variable API_KEY is not set',
    );
    expect(
      describeSignal({ kind: 'connection-refused', line: '', index: 0, count: 1, host: 'db', port: 5432 }),
    ).toBe('connections to db:5432 are refused');
  });
});
