import { DNS_LABEL_PATTERN } from '@foxhound/contracts';
import { labelHash, sandboxNameForThread } from './names';

describe('sandboxNameForThread', () => {
  it.each([
    ['a plain id', 'thread-1'],
    ['upper case and underscores', 'Thread_ABC.def'],
    ['only punctuation after the first character', 'a.._--'],
    ['the longest valid id', 'x'.repeat(128)],
    ['path traversal', '../../etc/passwd'],
    ['shell and label syntax', 'a;rm -rf /,b=c'],
    ['unicode', 'ünïcödé-🦊'],
    ['an empty string', ''],
    ['leading dashes', '---a'],
  ])('%s becomes a DNS label of at most 63 characters', (_name, threadId) => {
    const name = sandboxNameForThread(threadId);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS_LABEL_PATTERN);
    expect(name.startsWith('fh-')).toBe(true);
  });

  it('keeps a readable prefix', () => {
    expect(sandboxNameForThread('Checkout_500s')).toMatch(/^fh-checkout-500s-[0-9a-f]{12}$/);
  });

  it('keeps ids that sanitise alike apart', () => {
    const names = ['a_b', 'a-b', 'A-B', 'a.b'].map(sandboxNameForThread);
    expect(new Set(names).size).toBe(4);
  });

  it('is stable, so every replica derives the same name', () => {
    expect(sandboxNameForThread('t-42')).toBe(sandboxNameForThread('t-42'));
  });
});

describe('labelHash', () => {
  it('is a valid label value for any input', () => {
    expect(labelHash('owner with spaces and / slashes')).toMatch(/^[0-9a-f]{32}$/);
  });
});
