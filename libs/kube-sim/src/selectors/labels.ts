// Label selectors as the API server parses them: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
// `a notin (x)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`; requirements are ANDed.
// Also converts the structured `LabelSelector` of specs (matchLabels/matchExpressions) so RBAC
// aggregation and the controllers use the same matcher.
import { errors } from '../api/status';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type LabelSelector = Requirement[];

const MAX_SELECTOR_LENGTH = 4096;
const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function fail(why: string): never {
  throw errors.badRequest(`unable to parse requirement: ${why}`);
}

function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > 317) fail(`invalid label key "${key}"`);
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63) fail(`invalid label value: "${value}"`);
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) fail(`found ')', expected: identifier`);
  }
  if (depth !== 0) fail(`found '(', expected: ')'`);
  terms.push(text.slice(start));
  return terms.map((t) => t.trim());
}

function parseTerm(term: string): Requirement {
  if (term === '') fail("found '', expected: identifier");
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (setMatch) {
    const values = setMatch[3].split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(setMatch[1]), op: setMatch[2] as 'in' | 'notin', values };
  }
  if (term.startsWith('!') && !term.includes('='))
    return { key: checkKey(term.slice(1).trim()), op: 'notexists' };
  const opMatch = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(term);
  if (opMatch) {
    const [, key, op, raw] = opMatch;
    if (op === '>' || op === '<') {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw.trim())) fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
      return { key: checkKey(key), op: op === '>' ? 'gt' : 'lt', value };
    }
    const value = checkValue(raw.trim());
    return { key: checkKey(key), op: op === '!=' ? 'notin' : 'in', values: [value] };
  }
  if (/^\S+$/.test(term)) return { key: checkKey(term), op: 'exists' };
  return fail(`found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (text === undefined || text.trim() === '') return [];
  if (text.length > MAX_SELECTOR_LENGTH) fail(`selector longer than ${MAX_SELECTOR_LENGTH} characters`);
  return splitTerms(text).map(parseTerm);
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of selector) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = has ? labels[r.key] : undefined;
    switch (r.op) {
      case 'in':
        if (!has || !r.values.includes(value as string)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(value as string)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        const n = Number(value);
        if (!has || !/^-?\d+$/.test(value as string)) return false;
        if (r.op === 'gt' ? !(n > r.value) : !(n < r.value)) return false;
        break;
      }
    }
  }
  return true;
}

export interface StructuredLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A spec's `LabelSelector` as requirements; an empty selector matches everything, as in Kubernetes. */
export function fromStructured(selector: StructuredLabelSelector): LabelSelector {
  const out: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: 'in' as const,
    values: [v],
  }));
  for (const e of selector.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') out.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') out.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') out.push({ key: e.key, op: 'notexists' });
    else throw errors.badRequest(`"${e.operator}" is not a valid label selector operator`);
  }
  return out;
}

/** The string form (`a=b,c in (d)`), as `status.selector` of a scale subresource carries it. */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector
    .map((r) => {
      switch (r.op) {
        case 'in':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'notin':
          return r.values.length === 1
            ? `${r.key}!=${r.values[0]}`
            : `${r.key} notin (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case 'notexists':
          return `!${r.key}`;
        case 'gt':
          return `${r.key}>${r.value}`;
        case 'lt':
          return `${r.key}<${r.value}`;
      }
    })
    .join(',');
}
