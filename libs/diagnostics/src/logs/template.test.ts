import { TemplateMiner, tokenize } from './template';

describe('tokenize', () => {
  it.each([
    ['numbers and durations', 'processed 42 orders in 12.5ms', 'processed <*> orders in <*>'],
    [
      'IPs with ports',
      'dial tcp 10.96.0.12:5432: connect: connection refused',
      'dial tcp <*>: connect: connection refused',
    ],
    ['UUIDs', 'order 0b7a5d5e-1c2f-4a8e-9d11-2f3e4a5b6c7d not found', 'order <*> not found'],
    ['hex', 'trace 4bf92f3577b34da6 span 0x1f', 'trace <*> span <*>'],
    ['quoted values', `user "alice" has no role 'admin'`, 'user <*> has no role <*>'],
    ['key=value values', 'retry attempt=3 backoff=2s', 'retry attempt=<*> backoff=<*>'],
  ])('masks %s', (_name, message, template) => {
    expect(tokenize(message).join(' ')).toBe(template);
  });
});

describe('TemplateMiner', () => {
  it('groups messages that differ only in variables and keeps distinct ones apart', () => {
    const m = new TemplateMiner();
    const a = m.add('user alice logged in from web');
    const b = m.add('user bob logged in from web');
    const c = m.add('cache warmed with 10 keys');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(m.template(a)).toBe('user <*> logged in from web');
  });

  it('keeps literal request keys exact: a 200 and a 500 on one endpoint are two templates', () => {
    const m = new TemplateMiner();
    expect(m.add('GET /orders 200', true)).not.toBe(m.add('GET /orders 500', true));
  });
});
