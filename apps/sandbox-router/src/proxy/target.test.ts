import { forwardRequestHeaders, forwardResponseHeaders, requestPath } from './target';

describe('requestPath', () => {
  it.each([
    ['origin-form as given', '/a//b/../c?x=%2F', '/a//b/../c?x=%2F'],
    ['a path that looks like an authority', '//evil.com/x', '//evil.com/x'],
    ['absolute-form keeps only its path', 'http://evil.com:80/x?y', '/x?y'],
    ['absolute-form with userinfo', 'http://user@evil.com/x', '/x'],
    ['absolute-form without a path', 'https://evil.com', '/'],
    ['absolute-form with only a query', 'http://evil.com?x=1', '/?x=1'],
    ['asterisk-form', '*', undefined],
    ['authority-form', 'evil.com:443', undefined],
    ['a bare word', 'x', undefined],
  ])('%s', (_name, url, expected) => {
    expect(requestPath(url)).toBe(expected);
  });
});

describe('forwardRequestHeaders', () => {
  const context = { hostHeader: '10.0.0.7:8888', remoteAddress: '10.9.9.9' };

  it('keeps end-to-end headers, drops hop-by-hop, credentials and routing, sets Host and X-Forwarded-*', () => {
    const out = forwardRequestHeaders(
      {
        host: 'router:8080',
        accept: 'text/event-stream',
        'content-length': '12',
        authorization: 'Bearer x',
        connection: 'keep-alive, X-Hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        upgrade: 'h2c',
        'x-sandbox-id': 'sb',
        'x-sandbox-pod-ip': '10.0.0.7',
        expect: '100-continue',
        cookie: 'a=1; b=2',
      },
      context,
    );
    expect(out).toStrictEqual([
      'Host',
      '10.0.0.7:8888',
      'accept',
      'text/event-stream',
      'content-length',
      '12',
      'cookie',
      'a=1; b=2',
      'X-Forwarded-For',
      '10.9.9.9',
      'X-Forwarded-Host',
      'router:8080',
      'X-Forwarded-Proto',
      'http',
    ]);
  });

  it('re-frames a chunked body and appends to an existing X-Forwarded-For unless it was hop-by-hop', () => {
    expect(
      forwardRequestHeaders({ 'transfer-encoding': 'chunked', 'x-forwarded-for': '1.1.1.1' }, context),
    ).toStrictEqual([
      'Host',
      '10.0.0.7:8888',
      'Transfer-Encoding',
      'chunked',
      'X-Forwarded-For',
      '1.1.1.1, 10.9.9.9',
      'X-Forwarded-Proto',
      'http',
    ]);
    expect(
      forwardRequestHeaders({ connection: 'x-forwarded-for', 'x-forwarded-for': '1.1.1.1' }, context),
    ).toContain('10.9.9.9');
  });

  it('asks for the upgrade on a WebSocket handshake and keeps the Sec-WebSocket-* headers', () => {
    const out = forwardRequestHeaders(
      {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': 'k',
        'sec-websocket-version': '13',
      },
      { ...context, upgrade: true },
    );
    expect(out).toStrictEqual([
      'Host',
      '10.0.0.7:8888',
      'sec-websocket-key',
      'k',
      'sec-websocket-version',
      '13',
      'Connection',
      'Upgrade',
      'Upgrade',
      'websocket',
      'X-Forwarded-For',
      '10.9.9.9',
      'X-Forwarded-Proto',
      'ws',
    ]);
  });

  it.each([
    [
      'a valid traceparent passes with its tracestate',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      true,
    ],
    ['an all-zero trace id is dropped', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', false],
    ['version ff is dropped', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', false],
    ['upper-case hex is dropped', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01', false],
  ])('%s', (_name, traceparent, kept) => {
    const out = forwardRequestHeaders({ traceparent, tracestate: 'v=1' }, context);
    expect(out.includes('traceparent')).toBe(kept);
    expect(out.includes('tracestate')).toBe(kept);
  });
});

describe('forwardResponseHeaders', () => {
  it('drops hop-by-hop and Connection-listed headers, keeps duplicates and case', () => {
    expect(
      forwardResponseHeaders([
        'Content-Type',
        'text/plain',
        'Connection',
        'close, X-Private',
        'X-Private',
        'p',
        'Transfer-Encoding',
        'chunked',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'Keep-Alive',
        'timeout=5',
      ]),
    ).toStrictEqual(['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']);
  });

  it('keeps Connection and Upgrade on a 101', () => {
    expect(
      forwardResponseHeaders(
        ['Upgrade', 'websocket', 'Connection', 'Upgrade', 'Sec-WebSocket-Accept', 'x', 'Keep-Alive', 'x'],
        true,
      ),
    ).toStrictEqual(['Upgrade', 'websocket', 'Connection', 'Upgrade', 'Sec-WebSocket-Accept', 'x']);
  });
});
