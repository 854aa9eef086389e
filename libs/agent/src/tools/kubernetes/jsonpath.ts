// kubectl's JSONPath templates (https://kubernetes.io/docs/reference/kubectl/jsonpath/), the subset
// engineers and models write: `{.a.b}`, `['key.with.dots']`, `[0]`, `[-1]`, `[1:3]`, `[*]`, `.*`,
// `..name` (recursive descent), `[?(@.type=="Ready")]` filters (==, !=, <, <=, >, >=, or presence),
// `{range .items[*]}...{end}`, and quoted literals `{"\t"}`. A bare path (`.status.phase`) is read
// as `{.status.phase}`. Pure: no code runs, sizes are bounded by the caller; bad syntax throws a
// JsonPathError that says where.
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

type Segment =
  | { op: 'field'; name: string }
  | { op: 'all' }
  | { op: 'index'; index: number }
  | { op: 'slice'; start?: number; end?: number }
  | { op: 'descend' }
  | { op: 'filter'; path: Segment[]; cmp?: { op: string; value: unknown } };

type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'path'; path: Segment[] }
  | { kind: 'range'; path: Segment[]; body: TemplateNode[] };

const NAME = /^(?:\\.|[A-Za-z0-9_\-/:$])+/;
const FILTER = /^@((?:\.[^\s=!<>]+|\[[^\]]*\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/;

function literal(text: string): unknown {
  const t = text.trim();
  if (/^'.*'$/s.test(t)) return t.slice(1, -1);
  if (/^".*"$/s.test(t)) return JSON.parse(t) as unknown;
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  throw new JsonPathError(`invalid literal ${t} in a filter`);
}

function parsePath(source: string): Segment[] {
  let s = source.trim().replace(/^[$@]/, '');
  const out: Segment[] = [];
  while (s.length) {
    if (s.startsWith('..')) {
      out.push({ op: 'descend' });
      s = s.slice(2);
      if (s.startsWith('[') || s.startsWith('*')) continue;
      const m = NAME.exec(s);
      if (!m) throw new JsonPathError(`expected a field name after ".." in "${source}"`);
      out.push({ op: 'field', name: m[0].replace(/\\(.)/g, '$1') });
      s = s.slice(m[0].length);
    } else if (s.startsWith('.*') || s.startsWith('*')) {
      out.push({ op: 'all' });
      s = s.slice(s.startsWith('.') ? 2 : 1);
    } else if (s.startsWith('.')) {
      const m = NAME.exec(s.slice(1));
      if (!m) {
        if (s === '.') break;
        throw new JsonPathError(`expected a field name at "${s}" in "${source}"`);
      }
      out.push({ op: 'field', name: m[0].replace(/\\(.)/g, '$1') });
      s = s.slice(1 + m[0].length);
    } else if (s.startsWith('[')) {
      const close = closing(s);
      out.push(bracket(s.slice(1, close).trim(), source));
      s = s.slice(close + 1);
    } else throw new JsonPathError(`unexpected "${s[0]}" in "${source}"`);
  }
  return out;
}

/** The index of the `]` closing the bracket at 0, skipping quoted text and nested brackets. */
function closing(s: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new JsonPathError(`unclosed "[" in "${s}"`);
}

function bracket(inner: string, source: string): Segment {
  if (inner === '*') return { op: 'all' };
  if (/^-?\d+$/.test(inner)) return { op: 'index', index: Number(inner) };
  const slice = /^(-?\d+)?:(-?\d+)?$/.exec(inner);
  if (slice)
    return {
      op: 'slice',
      ...(slice[1] === undefined ? {} : { start: Number(slice[1]) }),
      ...(slice[2] === undefined ? {} : { end: Number(slice[2]) }),
    };
  if (/^(['"]).*\1$/s.test(inner)) return { op: 'field', name: literal(inner) as string };
  const filter = /^\?\((.*)\)$/s.exec(inner);
  if (filter) {
    const m = FILTER.exec(filter[1]!.trim());
    if (!m) throw new JsonPathError(`invalid filter [${inner}] in "${source}"`);
    return {
      op: 'filter',
      path: parsePath(m[1] ?? ''),
      ...(m[2] ? { cmp: { op: m[2], value: literal(m[3]!) } } : {}),
    };
  }
  throw new JsonPathError(`invalid subscript [${inner}] in "${source}"`);
}

/** Splits a template into text, paths and ranges. */
function parseTemplate(template: string): TemplateNode[] {
  const src = /\{/.test(template) ? template : `{${template}}`;
  const root: TemplateNode[] = [];
  const stack: { body: TemplateNode[] }[] = [{ body: root }];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{', i);
    const body = stack[stack.length - 1]!.body;
    if (open < 0) {
      body.push({ kind: 'text', text: src.slice(i) });
      break;
    }
    if (open > i) body.push({ kind: 'text', text: src.slice(i, open) });
    let close = open + 1;
    let quote: string | undefined;
    for (; close < src.length; close++) {
      const c = src[close];
      if (quote) {
        if (c === '\\') close++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}') break;
    }
    if (close >= src.length) throw new JsonPathError(`unclosed "{" in "${template}"`);
    const expr = src.slice(open + 1, close).trim();
    if (expr.startsWith('range ')) {
      const node: TemplateNode = { kind: 'range', path: parsePath(expr.slice(6)), body: [] };
      body.push(node);
      stack.push(node);
    } else if (expr === 'end') {
      if (stack.length === 1) throw new JsonPathError(`{end} without {range} in "${template}"`);
      stack.pop();
    } else if (/^(['"]).*\1$/s.test(expr)) body.push({ kind: 'text', text: String(literal(expr)) });
    else body.push({ kind: 'path', path: parsePath(expr) });
    i = close + 1;
  }
  if (stack.length > 1) throw new JsonPathError(`{range} without {end} in "${template}"`);
  return root;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return isObject(v) ? Object.values(v) : [];
}

function descendants(v: unknown, into: unknown[]): unknown[] {
  into.push(v);
  for (const c of children(v)) descendants(c, into);
  return into;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || (typeof a !== typeof b && String(a) === String(b));
    case '!=':
      return !(a === b || (typeof a !== typeof b && String(a) === String(b)));
    default: {
      const [x, y] = [Number(a), Number(b)];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
}

function select(values: unknown[], path: Segment[]): unknown[] {
  let current = values;
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (seg.op) {
        case 'field':
          if (isObject(v) && !Array.isArray(v) && seg.name in v) next.push(v[seg.name]);
          break;
        case 'all':
          next.push(...children(v));
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = seg.index < 0 ? v.length + seg.index : seg.index;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'slice':
          if (Array.isArray(v)) next.push(...v.slice(seg.start, seg.end));
          break;
        case 'descend':
          next.push(...descendants(v, []));
          break;
        case 'filter':
          for (const item of children(v)) {
            const found = select([item], seg.path);
            if (seg.cmp ? found.some((x) => compare(x, seg.cmp!.op, seg.cmp!.value)) : found.length > 0)
              next.push(item);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

const show = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : v === null || v === undefined
      ? ''
      : isObject(v)
        ? JSON.stringify(v)
        : String(v);

function render(nodes: TemplateNode[], data: unknown, out: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') out.push(node.text);
    else if (node.kind === 'path') out.push(select([data], node.path).map(show).join(' '));
    else for (const item of select([data], node.path)) render(node.body, item, out);
  }
}

/** Renders a kubectl JSONPath template against `data`; throws JsonPathError on bad syntax. */
export function evaluateJsonPath(template: string, data: unknown): string {
  const out: string[] = [];
  render(parseTemplate(template), data, out);
  return out.join('');
}

/** Checks a template's syntax without data. */
export function isValidJsonPath(template: string): boolean {
  try {
    parseTemplate(template);
    return true;
  } catch {
    return false;
  }
}
