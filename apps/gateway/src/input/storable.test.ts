import { findUnstorable, storableCopy } from './storable';

describe('findUnstorable', () => {
  it.each([
    ['a NUL in a top-level string', { prompt: 'a\u0000b' }, 'body.prompt'],
    ['a NUL in a nested value', { alert: { labels: { team: 'x\u0000' } } }, 'body.alert.labels.team'],
    ['a NUL in a key', { labels: { 'a\u0000': 'x' } }, 'body.labels (a key)'],
    ['a lone high surrogate', { reason: 'ok \ud800' }, 'body.reason'],
    ['a lone low surrogate in an array', { namespaces: ['shop', '\udc00'] }, 'body.namespaces[1]'],
  ])('names the field for %s', (_name, body, field) => {
    expect(findUnstorable(body, 'body')).toBe(field);
  });

  it.each([
    ['plain text', { prompt: 'checkout returns 500s' }],
    ['a paired surrogate (an emoji)', { prompt: 'on fire 🔥' }],
    ['other control characters', { prompt: 'tab\tnewline\nbell\u0007' }],
    ['a literal backslash-u0000', { prompt: '\\u0000 is how JSON writes NUL' }],
    ['numbers, booleans and null', { n: 1, b: true, z: null }],
  ])('accepts %s', (_name, body) => {
    expect(findUnstorable(body, 'body')).toBeUndefined();
  });

  it('walks a deeply nested body without exhausting the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorable(deep, 'body')).toMatch(/^body(\[0\])+$/);
  });
});

describe('storableCopy', () => {
  it('replaces NUL and lone surrogates with U+FFFD and leaves everything else as it was', () => {
    const copy = storableCopy({ text: 'a\u0000b \ud800 🔥 \\u0000', nested: [{ t: '\udc00' }] });
    expect(copy).toStrictEqual({ text: 'a\ufffdb \ufffd 🔥 \\u0000', nested: [{ t: '\ufffd' }] });
    expect(findUnstorable(copy, 'x')).toBeUndefined();
  });
});
