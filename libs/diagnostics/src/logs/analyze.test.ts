import { analyzeLog } from './analyze';
import { MAX_LINES, MAX_TEMPLATES } from './limits';

const at = (minute: number, second = 0) => new Date(Date.UTC(2025, 9, 21, 9, minute, second)).toISOString();
const json = (minute: number, level: string, msg: string, extra = '') =>
  `{"time":"${at(minute)}","level":"${level}","msg":"${msg}"${extra}}`;

describe('analyzeLog', () => {
  it('ranks error templates first and a recent burst above a steady trickle', () => {
    const lines: string[] = [];
    for (let m = 0; m < 50; m++) {
      lines.push(json(m, 'info', `served request ${m}`));
      if (m % 10 === 0) lines.push(json(m, 'error', `cache miss storm for key k${m}`));
      if (m >= 45) lines.push(json(m, 'error', `payment gateway returned 503 for order ${m}`));
    }
    const a = analyzeLog(lines);
    expect(a.templates.slice(0, 2).map((t) => [t.template, t.count, t.severity])).toEqual([
      ['payment gateway returned <*> for order <*>', 5, 'error'],
      ['cache miss storm for key <*>', 5, 'error'],
    ]);
    expect(a.templates[0].recentShare).toBe(1);
    expect(a.templates[0].firstTime).toBe(Date.parse(at(45)));
    expect(a.templates[0].lastTime).toBe(Date.parse(at(49)));
    expect(a.templates[2]).toMatchObject({ template: 'served request <*>', count: 50, severity: 'info' });
  });

  it('marks templates absent from the previous container as new', () => {
    const previous = [json(0, 'error', 'disk quota warning on /data')];
    const current = [
      json(1, 'error', 'disk quota warning on /data'),
      json(2, 'error', 'replica lag too high'),
    ];
    const byTemplate = Object.fromEntries(
      analyzeLog(current, { previous }).templates.map((t) => [t.template, t.isNew]),
    );
    expect(byTemplate).toEqual({ 'disk quota warning on /data': false, 'replica lag too high': true });
  });

  it('counts requests, server errors and slow requests per endpoint', () => {
    const lines = [
      ...Array.from(
        { length: 8 },
        (_, i) => `INFO:     10.0.1.5:5000${i} - "GET /api/orders/${i} HTTP/1.1" 200 OK`,
      ),
      ...Array.from(
        { length: 2 },
        () => 'INFO:     10.0.1.5:50000 - "GET /api/orders/9 HTTP/1.1" 500 Internal Server Error',
      ),
      ...Array.from(
        { length: 4 },
        (_, i) =>
          `{"level":"info","msg":"request","method":"POST","path":"/checkout","status":200,"duration_ms":${1500 + i}}`,
      ),
    ];
    expect(analyzeLog(lines).endpoints).toEqual([
      { method: 'GET', path: '/api/orders/{id}', requests: 10, serverErrors: 2, slow: 0 },
      { method: 'POST', path: '/checkout', requests: 4, serverErrors: 0, slow: 4, p95Ms: 1503, maxMs: 1503 },
    ]);
  });

  it('counts hostile input in its gaps instead of failing', () => {
    const lines = [
      'binary \u0000\u0001\u0002 bytes',
      'bad utf-8 \ufffd\ufffd here',
      '\u001b[31mERROR\u001b[0m coloured',
      'x'.repeat(1_000_000),
      '[1,2,3]',
      '42',
      '{"unterminated": ',
    ];
    const a = analyzeLog(lines);
    expect(a.gaps).toEqual({
      binary: 1,
      invalidUtf8: 1,
      ansi: 1,
      clipped: 1,
      nonObjectJson: 1,
      droppedLines: 0,
      untemplated: 0,
    });
    expect(a.notable.find((e) => e.message.includes('coloured'))).toMatchObject({
      message: 'ERROR coloured',
      severity: 'error',
    });
    expect(a.notable.every((e) => e.lines.every((l) => l.length <= 8192))).toBe(true);
  });

  it('reads only the newest lines and keeps a bounded number of templates', () => {
    const lines = Array.from({ length: MAX_LINES + 10 }, (_, i) => `event${'x'.repeat(i % 997)} unique`);
    const a = analyzeLog(lines);
    expect(a.gaps.droppedLines).toBe(10);
    expect(a.templates.length).toBeLessThanOrEqual(MAX_TEMPLATES);
    expect(a.gaps.untemplated).toBeGreaterThan(0);
  });

  it('extracts entities of error templates only', () => {
    const a = analyzeLog([
      json(0, 'info', 'connecting to db:5432'),
      json(1, 'error', 'query failed', ',"error":"dial tcp 10.96.0.12:5432: connect: connection refused"'),
    ]);
    const byTemplate = Object.fromEntries(a.templates.map((t) => [t.template, t.entities.hosts]));
    expect(byTemplate['connecting to db:<*>']).toEqual([]);
    expect(byTemplate['query failed: dial tcp <*>: connect: connection refused']).toEqual([
      { host: '10.96.0.12', port: 5432 },
    ]);
  });
});
