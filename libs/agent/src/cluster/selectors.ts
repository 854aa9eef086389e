// Label selectors as strings (`app=web,tier!=db,env in (prod,stage),!canary`): parsed and validated
// before they reach an API call, matched against labels by the snapshot reader, and built from a
// Service's or workload's selector for live list calls.
import { type LabelSelector, type Labels } from '@foxhound/diagnostics';

type Requirement =
  | { op: '=' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!exists'; key: string };

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Parses a selector string; undefined when it is not a valid selector. */
export function parseSelector(selector: string): Requirement[] | undefined {
  const text = selector.trim();
  if (text === '') return [];
  if (text.length > 1000) return undefined;
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth < 0) return undefined;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  const out: Requirement[] = [];
  for (const part of parts) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s=!]+)\s*(==|=|!=)\s*([^\s=!,]*)$/.exec(part))) {
      if (!KEY.test(m[1]!) || !VALUE.test(m[3]!)) return undefined;
      out.push({ op: m[2] === '!=' ? '!=' : '=', key: m[1]!, value: m[3]! });
    } else if ((m = /^([^\s(]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      const values = m[3]!.split(',').map((v) => v.trim());
      if (!KEY.test(m[1]!) || !values.every((v) => VALUE.test(v))) return undefined;
      out.push({ op: m[2] as 'in' | 'notin', key: m[1]!, values });
    } else if ((m = /^(!?)([^\s!=(),]+)$/.exec(part))) {
      if (!KEY.test(m[2]!)) return undefined;
      out.push({ op: m[1] ? '!exists' : 'exists', key: m[2]! });
    } else return undefined;
  }
  return out;
}

export function matchesSelector(labels: Labels | undefined, requirements: Requirement[]): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        return l[r.key] === r.value;
      case '!=':
        return l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case '!exists':
        return !has;
    }
  });
}

/** A LabelSelector (or a Service's plain selector map) as a selector string. */
export function selectorString(selector: LabelSelector | Labels | undefined): string {
  if (!selector) return '';
  const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels =
    (isLabelSelector ? (selector as LabelSelector).matchLabels : (selector as Labels)) ?? {};
  const parts = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of isLabelSelector ? ((selector as LabelSelector).matchExpressions ?? []) : []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
