import { diagnose } from '../diagnose';
import { log, pod, snapshot } from '../__fixtures__/build';
import { logHealth } from './log-health';

describe('logHealth', () => {
  it('calls a log with a few errors clean, and says so', () => {
    const lines = [
      ...Array.from({ length: 40 }, (_, i) => `{"level":"info","msg":"served ${i}"}`),
      '{"level":"error","msg":"payment declined","error":"card expired"}',
      '{"level":"error","msg":"payment declined","error":"card expired"}',
    ];
    const health = logHealth(lines);
    expect(health).toMatchObject({ errors: 2, events: 42 });
    expect(health.problem).toBeUndefined();
  });
});

describe('logHealth: the most specific recurring class decides', () => {
  it('does not call a full pool the problem when the dependency refuses the credentials behind it', () => {
    const lines = Array.from({ length: 4 }, () => [
      'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
      'Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "orders"',
    ]).flat();
    const health = logHealth(lines);
    expect(health.signals.map((s) => s.kind)).toEqual(['auth-failure', 'saturation']);
    expect(health.problem?.kind).not.toBe('fatal-class');
  });
});

describe('what a healthy answer says it checked', () => {
  it('names the logs read and the errors seen below the thresholds', () => {
    const lines = [
      ...Array.from({ length: 40 }, (_, i) => `{"level":"info","msg":"served ${i}"}`),
      '{"level":"error","time":"2025-10-21T09:59:00Z","msg":"payment declined","error":"card expired"}',
    ];
    const d = diagnose(snapshot({ pods: [pod('api-1')] }, { logs: [log('api-1', 'app', lines)] }));
    expect(d.status).toBe('ok');
    expect(d.checked).toEqual(
      expect.arrayContaining([
        'application logs: 1 of 1 running container(s) read (41 lines) for error rates, 5xx, latency and fatal errors',
        `logged errors below the alarm thresholds: shop/api-1 (app): 1 error event(s), e.g. "${lines[40]}" x1 at 09:59:00 UTC`,
      ]),
    );
  });
});
