// The audit chain's arithmetic, pure: canonical JSON (keys sorted by UTF-16 code unit, numbers and
// strings as JSON.stringify writes them, as in RFC 8785) and `hash = sha256(prevHash || canonical entry)`.
// Kept apart from SQL so the verifier and the writer cannot disagree on what was hashed.
import { createHash } from 'node:crypto';
import { type AuditEntry } from '@foxhound/contracts';

export const GENESIS_HASH = '0'.repeat(64);

/** Details larger than this are replaced by a preview, so an oversized entry is shortened, never lost. */
export const MAX_DETAILS_BYTES = 64 * 1024;
const PREVIEW_CHARS = 8 * 1024;

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Details as they will be stored and hashed: a JSON round trip (dates become strings, undefined goes),
 * capped at MAX_DETAILS_BYTES.
 */
export function normaliseDetails(details: Record<string, unknown>): Record<string, unknown> {
  const text = canonicalJson(JSON.parse(JSON.stringify(details)) as unknown);
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_DETAILS_BYTES) return JSON.parse(text) as Record<string, unknown>;
  return { truncated: { bytes, preview: text.slice(0, PREVIEW_CHARS) } };
}

export type UnhashedEntry = Omit<AuditEntry, 'hash'>;

export const hashEntry = (entry: UnhashedEntry): string =>
  createHash('sha256').update(entry.prevHash).update(canonicalJson(entry)).digest('hex');
