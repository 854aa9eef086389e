// API keys: `fh_` + 43 random base64url characters (256 bits). The store keeps the SHA-256 of the key
// (enough for a random secret of that size; nothing to brute-force) and a 12-character public prefix
// to find the row and to show humans which key is which. The secret is returned once, by `create`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type ApiKeyInfo, type CreatedApiKey, RoleSchema } from '@foxhound/contracts';
import { type Row } from '../db/database';
import { StoreConflictError, sqlState, UNIQUE_VIOLATION } from '../errors';
import { compact, iso, newId, opt, optIso, parseInput } from './rows';
import { type Session } from './session';

export const API_KEY_PATTERN = /^fh_[A-Za-z0-9_-]{32,128}$/;
const PREFIX_LENGTH = 12;
/** How stale `lastUsedAt` may get: one write per key per minute, not one per request. */
const LAST_USED_RESOLUTION_SECONDS = 60;

export const NewApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: RoleSchema,
  createdBy: z.string().max(200).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type NewApiKey = z.input<typeof NewApiKeySchema>;

export const ImportApiKeySchema = NewApiKeySchema.extend({
  key: z.string().regex(API_KEY_PATTERN, 'must be "fh_" followed by 32 to 128 characters of A-Z a-z 0-9 _ -'),
});
export type ImportApiKey = z.input<typeof ImportApiKeySchema>;

const COLUMNS =
  'id, prefix, name, role, created_by, created_at, last_used_at, expires_at, revoked_at, revoked_by';
const sha256 = (key: string) => createHash('sha256').update(key).digest();
/** Compared against when no row matches, so an unknown prefix costs the same work as a wrong secret. */
const NO_MATCH = sha256('fh_no-such-key');

export const generateApiKey = (): string => `fh_${randomBytes(32).toString('base64url')}`;

export function createApiKeyRepository(session: Session) {
  async function insert(key: string, k: z.output<typeof NewApiKeySchema>): Promise<ApiKeyInfo> {
    const { rows } = await session.query(
      `INSERT INTO api_keys (id, prefix, secret_hash, name, role, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) RETURNING ${COLUMNS}`,
      [
        newId('key'),
        key.slice(0, PREFIX_LENGTH),
        sha256(key).toString('hex'),
        k.name,
        k.role,
        k.createdBy ?? null,
        k.expiresAt ?? null,
      ],
    );
    return toInfo(rows[0] as Row);
  }

  /**
   * Makes sure a key supplied by the operator (a bootstrap admin key from a Secret) exists. Idempotent;
   * a revoked key stays revoked. A different key with the same prefix is a StoreConflictError.
   */
  async function ensure(input: ImportApiKey): Promise<ApiKeyInfo> {
    const { key, ...k } = parseInput(ImportApiKeySchema, input, 'API key');
    const prefix = key.slice(0, PREFIX_LENGTH);
    // Twice at most: a concurrent ensure of the same key may insert between our read and our insert.
    for (let attempt = 0; ; attempt++) {
      const { rows } = await session.query(`SELECT ${COLUMNS}, secret_hash FROM api_keys WHERE prefix = $1`, [
        prefix,
      ]);
      const existing = rows[0];
      if (existing) {
        if (!timingSafeEqual(Buffer.from(existing.secret_hash as string, 'hex'), sha256(key))) {
          throw new StoreConflictError(`another API key already uses the prefix ${prefix}`);
        }
        return toInfo(existing);
      }
      try {
        return await insert(key, k);
      } catch (err) {
        if (sqlState(err) !== UNIQUE_VIOLATION || attempt >= 1) throw err;
      }
    }
  }

  return {
    /** Mints a key. The returned `key` is the only copy of the secret. */
    async create(input: NewApiKey): Promise<CreatedApiKey> {
      const k = parseInput(NewApiKeySchema, input, 'API key');
      for (let attempt = 0; ; attempt++) {
        const key = generateApiKey();
        try {
          return { key, apiKey: await insert(key, k) };
        } catch (err) {
          // A prefix collision (54 random bits) is astronomically rare; retry with a fresh key.
          if (sqlState(err) !== UNIQUE_VIOLATION || attempt >= 2) throw err;
        }
      }
    },

    ensure,

    async get(id: string): Promise<ApiKeyInfo | null> {
      const { rows } = await session.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
      return rows[0] ? toInfo(rows[0]) : null;
    },

    /** Every key, newest first; revoked ones only when asked. */
    async list({ includeRevoked = false }: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> {
      const { rows } = await session.query(
        `SELECT ${COLUMNS} FROM api_keys ${includeRevoked ? '' : 'WHERE revoked_at IS NULL'}
         ORDER BY created_at DESC, id DESC`,
      );
      return rows.map(toInfo);
    },

    /** False when there is no such key or it was already revoked. */
    async revoke(id: string, actor: string): Promise<boolean> {
      const { rowCount } = await session.query(
        `UPDATE api_keys SET revoked_at = date_trunc('milliseconds', now()), revoked_by = $2
         WHERE id = $1 AND revoked_at IS NULL`,
        [id, actor],
      );
      return rowCount === 1;
    },

    /**
     * The key's info when `presented` is a live key (known, secret matches, not revoked, not expired);
     * null otherwise, without saying which, so callers cannot become an oracle. Compares in constant time.
     */
    async verify(presented: string): Promise<ApiKeyInfo | null> {
      if (!API_KEY_PATTERN.test(presented)) return null;
      const { rows } = await session.query(
        `SELECT ${COLUMNS}, secret_hash, (expires_at IS NOT NULL AND expires_at <= now()) AS expired
         FROM api_keys WHERE prefix = $1`,
        [presented.slice(0, PREFIX_LENGTH)],
      );
      const row = rows[0];
      const expected = row ? Buffer.from(row.secret_hash as string, 'hex') : NO_MATCH;
      const matches = timingSafeEqual(expected, sha256(presented));
      if (!row || !matches || row.revoked_at != null || row.expired === true) return null;
      await session.query(
        `UPDATE api_keys SET last_used_at = date_trunc('milliseconds', now())
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
        [row.id, LAST_USED_RESOLUTION_SECONDS],
      );
      return toInfo(row);
    },
  };
}
export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;

function toInfo(r: Row): ApiKeyInfo {
  return compact({
    id: r.id as string,
    prefix: r.prefix as string,
    name: r.name as string,
    role: r.role as ApiKeyInfo['role'],
    createdAt: iso(r.created_at),
    createdBy: opt(r.created_by as string | null),
    lastUsedAt: optIso(r.last_used_at),
    expiresAt: optIso(r.expires_at),
    revokedAt: optIso(r.revoked_at),
    revokedBy: opt(r.revoked_by as string | null),
  });
}
