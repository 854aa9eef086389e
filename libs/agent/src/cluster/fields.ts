// Field selectors, equality terms only (`involvedObject.name=web-1,type=Warning`): what the tools
// send to narrow event lists. Readers apply them client-side as well, so a server that ignores a
// field (or a captured snapshot) gives the same answer.
import { type KubeObject } from '@foxhound/diagnostics';

export interface FieldTerm {
  path: string[];
  value: string;
  negate: boolean;
}

const TERM = /^([a-zA-Z][\w.]*)\s*(==|=|!=)\s*([^,]*)$/;

export function parseFieldSelector(selector: string | undefined): FieldTerm[] | undefined {
  if (!selector?.trim()) return [];
  const terms: FieldTerm[] = [];
  for (const part of selector.split(',')) {
    const m = TERM.exec(part.trim());
    if (!m) return undefined;
    terms.push({ path: m[1]!.split('.'), value: m[3]!.trim(), negate: m[2] === '!=' });
  }
  return terms;
}

export function matchesFields(obj: KubeObject, terms: FieldTerm[]): boolean {
  return terms.every((t) => {
    let value: unknown = obj;
    for (const key of t.path)
      value =
        value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key];
    const text = value === undefined || value === null ? '' : String(value);
    return t.negate ? text !== t.value : text === t.value;
  });
}

/** Builds `a=b,c=d` from pairs, skipping empty values. */
export function fieldSelector(pairs: Record<string, string | undefined>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
