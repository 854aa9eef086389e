// RFC 6902 JSON Patch (`application/json-patch+json`): add, remove, replace, move, copy, test.
// Works on a deep copy; a failing operation leaves the input untouched and throws 422 like the
// real server's "the server rejected our request due to an error in our request".
import { StatusError, errors } from '../api/status';

type Json = unknown;
interface Operation {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

const MAX_OPERATIONS = 10_000;

function invalid(message: string): StatusError {
  return new StatusError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw invalid(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(v: Json): v is Record<string, Json> | Json[] {
  return typeof v === 'object' && v !== null;
}

/** The container holding the last token, and that token. */
function locate(
  doc: Json,
  tokens: string[],
  pointer: string,
): { parent: Record<string, Json> | Json[]; key: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (!isContainer(cur)) throw invalid(`doc is missing path: "${pointer}"`);
    cur = Array.isArray(cur) ? cur[Number(t)] : cur[t];
  }
  if (!isContainer(cur)) throw invalid(`doc is missing path: "${pointer}"`);
  return { parent: cur, key: tokens[tokens.length - 1] };
}

function arrayIndex(arr: Json[], key: string, forInsert: boolean, pointer: string): number {
  if (forInsert && key === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw invalid(`invalid array index "${key}" in "${pointer}"`);
  const i = Number(key);
  if (i > arr.length || (!forInsert && i === arr.length)) throw invalid(`index out of range in "${pointer}"`);
  return i;
}

function read(doc: Json, pointer: string): Json {
  let cur = doc;
  for (const t of parsePointer(pointer)) {
    if (!isContainer(cur)) throw invalid(`doc is missing path: "${pointer}"`);
    cur = Array.isArray(cur) ? cur[arrayIndex(cur, t, false, pointer)] : cur[t];
    if (cur === undefined) throw invalid(`doc is missing path: "${pointer}"`);
  }
  return cur;
}

function add(doc: Json, pointer: string, value: Json): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = locate(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw invalid('cannot remove the whole document');
  const { parent, key } = locate(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, pointer), 1);
  else {
    if (!(key in parent)) throw invalid(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

export function applyJsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw errors.badRequest('json patch must be an array of operations');
  if (patch.length > MAX_OPERATIONS) throw errors.tooLarge(MAX_OPERATIONS);
  let doc = structuredClone(target);
  for (const raw of patch as Operation[]) {
    if (!raw || typeof raw !== 'object' || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw errors.badRequest('each json patch operation needs "op" and "path"');
    }
    const { op, path } = raw;
    switch (op) {
      case 'add':
        doc = add(doc, path, structuredClone(raw.value));
        break;
      case 'remove':
        doc = remove(doc, path);
        break;
      case 'replace':
        read(doc, path);
        doc = add(remove(doc, path), path, structuredClone(raw.value));
        break;
      case 'move': {
        const value = read(doc, raw.from ?? '');
        doc = add(remove(doc, raw.from ?? ''), path, value);
        break;
      }
      case 'copy':
        doc = add(doc, path, structuredClone(read(doc, raw.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(read(doc, path)) !== JSON.stringify(raw.value)) {
          throw invalid(`testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw errors.badRequest(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}
