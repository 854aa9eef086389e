import { eventsOf } from './analyze';

const events = (lines: string[]) => eventsOf(lines).events;

describe('folding', () => {
  it('folds a Python traceback into one error event summarised by its exception line', () => {
    // The shape CPython prints (docs.python.org/3/library/traceback.html).
    const e = events([
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 12, in <module>',
      '    url = os.environ["REDIS_URL"]',
      '  File "<frozen os>", line 679, in __getitem__',
      "KeyError: 'REDIS_URL'",
      'next line',
    ]);
    expect(e.map((x) => [x.index, x.lineCount, x.severity, x.summary])).toEqual([
      [0, 5, 'error', "KeyError: 'REDIS_URL'"],
      [5, 1, 'info', 'next line'],
    ]);
  });

  it('keeps a chained traceback in one event and summarises it by the last exception', () => {
    const e = events([
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'ConnectionRefusedError: [Errno 111] Connection refused',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "a.py", line 3, in <module>',
      'psycopg2.OperationalError: could not connect to server: Connection refused',
    ]);
    expect(e).toHaveLength(1);
    expect(e[0].summary).toBe('psycopg2.OperationalError: could not connect to server: Connection refused');
  });

  it('folds a Java trace into the log line that reported it, summarised by the last "Caused by"', () => {
    const e = events([
      '2025-10-21T09:59:06.000Z ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed',
      'org.springframework.beans.factory.BeanCreationException: Error creating bean',
      '\tat org.springframework.X.y(X.java:1)',
      'Caused by: java.net.UnknownHostException: postgres-db',
      '\t... 12 more',
      '2025-10-21T09:59:07.000Z  INFO 1 --- [main] o.s.Foo : next',
    ]);
    expect(e.map((x) => [x.lineCount, x.severity, x.summary])).toEqual([
      [5, 'error', 'java.net.UnknownHostException: postgres-db'],
      [1, 'info', 'o.s.Foo: next'],
    ]);
  });

  it('folds a Go panic with its goroutine dump into one fatal event', () => {
    // runtime/panic.go prints "panic: ", the signal line, a blank line, then the goroutines.
    const e = events([
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b3c]',
      '',
      'goroutine 1 [running]:',
      'main.main()',
      '\t/app/main.go:12 +0x1c',
      'exit status 2',
    ]);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ lineCount: 7, severity: 'fatal' });
  });

  it('folds Node.js "    at" frames into the error line', () => {
    const e = events([
      'Error: connect ECONNREFUSED 10.96.3.4:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
      '    at TCPConnectWrap.callbackTrampoline (node:internal/async_hooks:130:17)',
    ]);
    expect(e.map((x) => [x.lineCount, x.severity])).toEqual([[3, 'error']]);
  });

  it('keeps a debug-level stack trace at debug', () => {
    const e = events([
      '2025-10-21 09:59:00,001 DEBUG retry helper: transient failure',
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'TimeoutError: timed out',
    ]);
    expect(e.map((x) => [x.lineCount, x.severity])).toEqual([[4, 'debug']]);
  });

  it('never folds structured lines together', () => {
    const e = events(['{"level":"info","msg":"a"}', '{"level":"error","msg":"b"}']);
    expect(e.map((x) => x.severity)).toEqual(['info', 'error']);
  });
});
