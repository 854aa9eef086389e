// Object metadata rules the API server enforces on every write: names (generateName, format),
// immutable fields, timestamps, generation. Pure functions; the store calls them.
import { randomUUID } from 'node:crypto';
import { type ResourceType } from '../api/resources';
import { errors, type StatusCause } from '../api/status';
import { type KubeObject } from '../types';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// The alphabet of generateName suffixes in apimachinery (no vowels, no ambiguous characters).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes timestamps have second precision: `2026-01-02T03:04:05Z`. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return out;
}

export function newUid(): string {
  return randomUUID();
}

/** Which name format a kind requires; RBAC objects allow `system:` style names. */
function nameRule(r: ResourceType): { pattern: RegExp; max: number; what: string } | undefined {
  if (r.group === 'rbac.authorization.k8s.io') return undefined;
  if (r.group === '' && r.plural === 'namespaces') return { pattern: LABEL, max: 63, what: 'RFC 1123 label' };
  if (r.group === '' && r.plural === 'services')
    return { pattern: LABEL_1035, max: 63, what: 'RFC 1035 label' };
  return { pattern: SUBDOMAIN, max: 253, what: 'RFC 1123 subdomain' };
}

export function validateName(r: ResourceType, name: string): StatusCause[] {
  if (name === '')
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  if (name === '.' || name === '..' || name.includes('/') || name.includes('%')) {
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": may not contain '/' or '%' or be '.' or '..'`,
      },
    ];
  }
  const rule = nameRule(r);
  if (rule && (!rule.pattern.test(name) || name.length > rule.max)) {
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase ${rule.what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      },
    ];
  }
  return [];
}

/** Labels and annotations must be string maps; a number sneaking in is a 400 on a real server. */
export function validateMetadataMaps(obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const field of ['labels', 'annotations'] as const) {
    const map = obj.metadata[field];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: `metadata.${field}`,
        message: 'Invalid value: must be a map of strings',
      });
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `metadata.${field}.${k}`,
          message: 'Invalid value: must be a string',
        });
      }
    }
  }
  return causes;
}

/** Everything but metadata and status, serialized: a change here bumps metadata.generation. */
export function specFingerprint(obj: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

export function checkApiVersionAndKind(r: ResourceType, apiVersion: string, obj: KubeObject): void {
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
    throw errors.badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== r.kind) {
    throw errors.badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`,
    );
  }
}
