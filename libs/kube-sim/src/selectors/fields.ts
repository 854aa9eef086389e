// Field selectors: `metadata.name=x,status.phase!=Running`. Each resource accepts
// metadata.name, metadata.namespace and the labels listed in its resource-table row; anything
// else is a 400 like the real server's "field label not supported".
import { type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { type KubeObject } from '../types';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

const MAX_SELECTOR_LENGTH = 4096;

export function parseFieldSelector(text: string | undefined, resource: ResourceType): FieldSelector {
  if (text === undefined || text.trim() === '') return [];
  if (text.length > MAX_SELECTOR_LENGTH)
    throw errors.badRequest(`field selector longer than ${MAX_SELECTOR_LENGTH} characters`);
  return text.split(',').map((term) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    if (
      field !== 'metadata.name' &&
      field !== 'metadata.namespace' &&
      !resource.fieldLabels.includes(field)
    ) {
      throw errors.badRequest(`field label not supported: ${field}`);
    }
    return { field, op: op === '!=' ? '!=' : '=', value };
  });
}

/** The value a field label reads, as the server's field-set functions render it (bools as text). */
export function fieldValue(obj: KubeObject, field: string): string {
  if (field === 'source') return String((obj as { source?: { component?: string } }).source?.component ?? '');
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  for (const r of selector) {
    const equal = fieldValue(obj, r.field) === r.value;
    if (r.op === '=' ? !equal : equal) return false;
  }
  return true;
}

/** The single name a selector pins (`metadata.name=x`), so the store can skip a scan. */
export function pinnedName(selector: FieldSelector): string | undefined {
  return selector.find((r) => r.field === 'metadata.name' && r.op === '=')?.value;
}
