// API keys: minted once, stored only as a hash with a public prefix, verified in constant time, and
// refused once revoked or expired, all without telling the caller which check failed.
import { ApiKeyInfoSchema } from '@foxhound/contracts';
import { ENGINES, useStore } from '../__fixtures__/backends';
import { StoreConflictError, StoreInputError } from '../errors';
import { generateApiKey } from './api-keys';

describe.each(ENGINES)('API keys on %s', (engine) => {
  const { store } = useStore(engine);
  const repo = () => store().apiKeys;

  it('mints a key whose secret is returned once and never stored', async () => {
    const { key, apiKey } = await repo().create({
      name: 'ci',
      role: 'investigator',
      createdBy: 'user:admin',
    });
    expect(key).toMatch(/^fh_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toStrictEqual({
      id: expect.stringMatching(/^key_[0-9a-f]{20}$/),
      prefix: key.slice(0, 12),
      name: 'ci',
      role: 'investigator',
      createdAt: apiKey.createdAt,
      createdBy: 'user:admin',
    });
    expect(ApiKeyInfoSchema.parse(apiKey)).toStrictEqual(apiKey);
    const { rows } = await store().db.query('SELECT * FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(JSON.stringify(rows)).not.toContain(key.slice(12));
  });

  it('verifies a live key and records when it was last used', async () => {
    const { key, apiKey } = await repo().create({ name: 'console', role: 'approver' });
    expect(await repo().verify(key)).toStrictEqual(apiKey);
    expect((await repo().get(apiKey.id))?.lastUsedAt).toEqual(expect.any(String));
  });

  it.each([
    [
      'the right prefix with a wrong secret',
      (key: string) => `${key.slice(0, 12)}${'A'.repeat(key.length - 12)}`,
    ],
    ['an unknown key', () => generateApiKey()],
    ['a key cut short', (key: string) => key.slice(0, 20)],
    ['a bearer token of another kind', () => 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['an empty string', () => ''],
    ['the key with trailing whitespace', (key: string) => `${key} `],
  ])('refuses %s', async (_name, present) => {
    const { key } = await repo().create({ name: 'k', role: 'viewer' });
    expect(await repo().verify(present(key))).toBeNull();
  });

  it('refuses a revoked key and lists it only when asked', async () => {
    const { key, apiKey } = await repo().create({ name: 'leaked', role: 'admin' });
    expect(await repo().revoke(apiKey.id, 'user:admin')).toBe(true);
    expect(await repo().revoke(apiKey.id, 'user:admin')).toBe(false);
    expect(await repo().verify(key)).toBeNull();
    expect((await repo().list()).map((k) => k.id)).not.toContain(apiKey.id);
    const listed = (await repo().list({ includeRevoked: true })).find((k) => k.id === apiKey.id);
    expect(listed).toMatchObject({ revokedBy: 'user:admin', revokedAt: expect.any(String) });
  });

  it('refuses an expired key', async () => {
    const { key } = await repo().create({ name: 'old', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' });
    expect(await repo().verify(key)).toBeNull();
  });

  it('imports an operator-supplied key idempotently', async () => {
    const key = generateApiKey();
    const first = await repo().ensure({ key, name: 'bootstrap', role: 'admin' });
    const again = await repo().ensure({ key, name: 'bootstrap', role: 'admin' });
    expect(again).toStrictEqual(first);
    expect((await repo().verify(key))?.role).toBe('admin');
  });

  it('refuses to import a different key under a prefix already taken', async () => {
    const key = generateApiKey();
    await repo().ensure({ key, name: 'bootstrap', role: 'admin' });
    const impostor = `${key.slice(0, 12)}${'z'.repeat(40)}`;
    await expect(repo().ensure({ key: impostor, name: 'x', role: 'admin' })).rejects.toThrow(
      StoreConflictError,
    );
  });

  it.each([
    ['an empty name', { name: ' ', role: 'viewer' as const }],
    ['an unknown role', { name: 'x', role: 'root' as 'admin' }],
  ])('refuses to mint a key with %s', async (_name, input) => {
    await expect(repo().create(input)).rejects.toThrow(StoreInputError);
  });

  it('refuses to import a key that is too short to be secret', async () => {
    await expect(repo().ensure({ key: 'fh_short', name: 'x', role: 'admin' })).rejects.toThrow(
      StoreInputError,
    );
  });
});
