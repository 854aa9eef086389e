// JSON body parsing with a size bound, and zod validation that turns a bad body into a 400 naming
// the first offending field.
import express, { type RequestHandler } from 'express';
import { type z } from 'zod';
import { InputError } from '../errors/http-errors';

export function jsonBody({ limit = '256kb' }: { limit?: string | number } = {}): RequestHandler {
  return express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
}

/** Validates `value` against `schema` or throws InputError("field: message"). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${what}.${issue.path.join('.')}` : what;
  throw new InputError(`Invalid ${where}: ${issue?.message ?? 'invalid value'}.`);
}
