// Refuses input the store cannot hold before it gets near the store. PostgreSQL `text` cannot hold
// U+0000, and a UTF-16 surrogate without its pair has no UTF-8 form (it would be stored as U+FFFD, a
// silent change). Every JSON body (keys included) and every query string is checked; a bad one is a
// 400 naming the first field that carries such a character.
import { type RequestHandler } from 'express';
import { InputError, jsonBody } from '@foxhound/service-kit';

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (value or key) under `value` that the store cannot hold. */
export function findUnstorable(value: unknown, root: string): string | undefined {
  // Iterative: a deeply nested body must not exhaust the stack.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) return path;
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (UNSTORABLE.test(key)) return `${path} (a key)`;
        stack.push([item, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

const refusal = (field: string) =>
  new InputError(
    `${field} contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate).`,
  );

/** JSON body parsing plus the storable check, for every route that takes a body. */
export function jsonInput(options?: Parameters<typeof jsonBody>[0]): RequestHandler {
  const parse = jsonBody(options);
  return function jsonInput(req, res, next) {
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      const field = findUnstorable(req.body, 'body');
      next(field ? refusal(field) : undefined);
    });
  };
}

/** The storable check on the query string, for every route. */
export const storableQuery: RequestHandler = function storableQuery(req, _res, next) {
  const field = findUnstorable(req.query, 'query');
  next(field ? refusal(field) : undefined);
};

// In JSON text, the escapes JSON.stringify writes for U+0000 and for a lone surrogate, preceded by an
// even run of backslashes (so an escaped backslash followed by "u0000" is left alone).
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

/**
 * A copy of `value` with every character the store cannot hold replaced by U+FFFD, for what the
 * executor reports (its answer, tool names): that is not the caller's input to refuse, and a NUL in a
 * model's answer must not keep a turn from being recorded.
 */
export function storableCopy<T>(value: T): T {
  const text = JSON.stringify(value);
  return (text === undefined ? value : JSON.parse(text.replace(UNSTORABLE_ESCAPE, '$1\\ufffd'))) as T;
}
