// Opaque page cursors: the keyset position of the last row returned, as base64url JSON. Decoding
// validates the shape, so a hand-edited cursor is a StoreInputError rather than a SQL error.
import { type z } from 'zod';
import { StoreInputError } from '../errors';

export const encodeCursor = (position: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.infer<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new StoreInputError('Invalid cursor.');
  }
  const result = shape.safeParse(parsed);
  if (!result.success) throw new StoreInputError('Invalid cursor.');
  return result.data;
}
