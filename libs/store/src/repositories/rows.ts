// Small conversions between database rows and contract shapes, the same for both drivers: pg returns
// bigint as a string and PGlite as a number; both return timestamptz as a Date and NULL as null.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { StoreInputError } from '../errors';

export const iso = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

export const optIso = (value: unknown): string | undefined => (value == null ? undefined : iso(value));

export const opt = <T>(value: T | null | undefined): T | undefined => (value == null ? undefined : value);

export const num = (value: unknown): number => Number(value);

/** A JSON document for a `json` column: passed as text so neither driver rewrites arrays or dates. */
export const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** `<prefix>_<20 hex>`: 80 random bits, URL-safe, sortable by nothing on purpose. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(10).toString('hex')}`;

/** Ids a caller may choose (investigations, proposals): bounded and safe in a URL path or a log line. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Drops keys whose value is undefined, so a row maps to exactly the JSON the API sends. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Adds `value` to `params` and returns its placeholder, for building WHERE clauses. */
export const param = (params: unknown[], value: unknown): string => `$${params.push(value)}`;

/** Validates a repository's input, turning a zod failure into a StoreInputError that names the field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new StoreInputError(`Invalid ${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}
