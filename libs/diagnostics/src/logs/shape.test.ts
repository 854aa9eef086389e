import { parseLine } from './shape';

const REF = Date.parse('2025-10-21T10:00:00Z');

describe('parseLine', () => {
  it.each([
    [
      'zap JSON (level, ts as epoch seconds, msg, error)',
      '{"level":"error","ts":1761040800.5,"caller":"db/pool.go:88","msg":"ping failed","error":"dial tcp 10.96.0.12:5432: connect: connection refused"}',
      {
        format: 'json',
        level: 'error',
        time: 1761040800500,
        message: 'ping failed',
        error: 'dial tcp 10.96.0.12:5432: connect: connection refused',
      },
    ],
    [
      'pino JSON (numeric level, err object)',
      '{"level":50,"time":1761040800000,"msg":"request failed","err":{"type":"Error","message":"connect ECONNREFUSED 10.96.3.4:8080"}}',
      {
        format: 'json',
        level: 'error',
        message: 'request failed',
        error: 'Error: connect ECONNREFUSED 10.96.3.4:8080',
      },
    ],
    [
      'ECS JSON (nested log.level, @timestamp, message)',
      '{"@timestamp":"2025-10-21T09:59:00.000Z","log":{"level":"WARN"},"message":"slow query"}',
      { format: 'json', level: 'warning', time: Date.parse('2025-10-21T09:59:00Z'), message: 'slow query' },
    ],
    [
      'logfmt (logrus text formatter)',
      'time="2025-10-21T09:59:03Z" level=error msg="upstream unavailable" err="EOF"',
      { format: 'logfmt', level: 'error', message: 'upstream unavailable', error: 'EOF' },
    ],
    [
      'klog',
      'E1021 09:59:05.123456       1 reflector.go:138] failed to list *v1.Pod',
      {
        format: 'klog',
        level: 'error',
        time: Date.parse('2025-10-21T09:59:05.123Z'),
        message: 'failed to list *v1.Pod',
      },
    ],
    [
      'Spring Boot 3',
      '2025-10-21T09:59:06.000Z ERROR 1 --- [orders] [           main] o.s.boot.SpringApplication               : Application run failed',
      { format: 'spring', level: 'error', message: 'o.s.boot.SpringApplication: Application run failed' },
    ],
    [
      'uvicorn access',
      'INFO:     10.0.1.5:50000 - "GET /healthz HTTP/1.1" 404 Not Found',
      { format: 'uvicorn', level: 'info', access: { method: 'GET', path: '/healthz', status: 404 } },
    ],
    [
      'gunicorn error log',
      '[2025-10-21 09:59:00 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:12)',
      { format: 'gunicorn', level: 'fatal', message: 'WORKER TIMEOUT (pid:12)' },
    ],
    [
      'Go log package',
      '2025/10/21 09:59:00 http: Accept error: accept tcp [::]:8080: too many open files',
      { format: 'golog', time: Date.parse('2025-10-21T09:59:00Z') },
    ],
    [
      'ingress-nginx access log with request time',
      '10.0.0.1 - - [21/Oct/2025:09:59:07 +0000] "POST /checkout HTTP/1.1" 502 150 "-" "curl/8.4" 512 2.503 [shop-api-80] [] 10.0.1.2:8080 0 2.503 502 abc',
      {
        format: 'access',
        time: Date.parse('2025-10-21T09:59:07Z'),
        access: { method: 'POST', path: '/checkout', status: 502, durationMs: 2503 },
      },
    ],
    [
      "Ruby's Logger (Rails with request tags)",
      'E, [2025-10-21T09:59:02.367765 #1] ERROR -- : [d1fe19e6] ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds)',
      {
        format: 'ruby',
        level: 'error',
        time: Date.parse('2025-10-21T09:59:02.367Z'),
        message:
          '[d1fe19e6] ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds)',
      },
    ],
    [
      "Ruby's Logger with a progname (Sidekiq)",
      'W, [2025-10-21T09:59:03.000001 #7]  WARN -- sidekiq: retrying job 42',
      {
        format: 'ruby',
        level: 'warning',
        time: Date.parse('2025-10-21T09:59:03Z'),
        message: 'retrying job 42',
      },
    ],
    [
      'Envoy default access log',
      '[2025-10-21T09:59:08.000Z] "GET /api/cart HTTP/1.1" 503 UF 0 91 5001 - "-" "curl/8.4" "id-1" "cart" "10.0.2.9:8080"',
      { format: 'access', access: { method: 'GET', path: '/api/cart', status: 503, durationMs: 5001 } },
    ],
    [
      'Python logging with a level word',
      '2025-10-21 09:59:00,123 - app.worker - ERROR - job 12 failed',
      { format: 'plain', level: 'error', time: Date.parse('2025-10-21T09:59:00.123Z') },
    ],
    [
      'nginx error log',
      '2025/10/21 09:59:00 [error] 22#22: *98870 client intended to send too large body: 13768984 bytes',
      { format: 'nginx', level: 'error', message: 'client intended to send too large body: 13768984 bytes' },
    ],
    ['plain text', 'listening on :8080', { format: 'plain', message: 'listening on :8080' }],
  ])('%s', (_name, line, expected) => {
    expect(parseLine(line, REF).line).toMatchObject(expected);
  });

  it.each([['[1,2,3]'], ['"just a string"']])('counts %s as JSON that is not an object', (line) => {
    expect(parseLine(line).nonObjectJson).toBe(true);
  });

  it('reads a malformed JSON line as plain text', () => {
    expect(parseLine('{"level":"error","msg":"cut off').line).toMatchObject({ format: 'plain' });
  });
});
