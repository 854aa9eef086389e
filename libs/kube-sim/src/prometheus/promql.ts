// The PromQL subset kube-sim answers: selectors `name{label="v",l2!="v",l3=~"re",l4!~"re"}`,
// range functions (rate, irate, increase, delta, and min/max/avg/sum/count/last_over_time) over
// `selector[5m]`, aggregations (sum, min, max, avg, count) with `by`/`without`, and number
// literals. Anything else is a parse error naming what was not understood.
export type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string; re?: RegExp };

export type Expr =
  | { type: 'number'; value: number }
  | { type: 'selector'; matchers: Matcher[]; rangeSeconds?: number }
  | { type: 'call'; fn: string; arg: Expr }
  | { type: 'aggregate'; op: string; grouping?: { mode: 'by' | 'without'; labels: string[] }; arg: Expr };

export const RANGE_FUNCTIONS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
];
export const AGGREGATIONS = ['sum', 'min', 'max', 'avg', 'count'];

export class PromQLError extends Error {
  override readonly name = 'PromQLError';
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** `5m`, `1h30m`, `90s`, or plain seconds (`30`, `0.5`). */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new PromQLError(`invalid duration "${text}"`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Expr {
    const e = this.expr();
    this.space();
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text.slice(this.pos, this.pos + 20)}"`);
    return e;
  }

  private fail(message: string): never {
    throw new PromQLError(`parse error at char ${this.pos + 1}: ${message}`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private eat(token: string): boolean {
    this.space();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected "${token}"`);
  }

  private ident(): string {
    this.space();
    const m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a metric or label name');
    this.pos += m[0].length;
    return m[0];
  }

  private string(): string {
    this.space();
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted string');
    let out = '';
    for (this.pos++; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const n = this.text[++this.pos];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else out += c;
    }
    return this.fail('unterminated string');
  }

  private labelList(): string[] {
    this.expect('(');
    const labels: string[] = [];
    while (!this.eat(')')) {
      labels.push(this.ident());
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return labels;
  }

  private expr(): Expr {
    this.space();
    const num = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { type: 'number', value: Number(num[0]) };
    }
    if (this.text[this.pos] === '{') return this.selector(undefined);
    const name = this.ident();
    if (AGGREGATIONS.includes(name)) {
      let grouping: { mode: 'by' | 'without'; labels: string[] } | undefined;
      for (const mode of ['by', 'without'] as const) {
        if (this.eat(mode)) grouping = { mode, labels: this.labelList() };
      }
      this.expect('(');
      const arg = this.expr();
      this.expect(')');
      for (const mode of ['by', 'without'] as const) {
        if (!grouping && this.eat(mode)) grouping = { mode, labels: this.labelList() };
      }
      return { type: 'aggregate', op: name, grouping, arg };
    }
    if (RANGE_FUNCTIONS.includes(name) && this.eat('(')) {
      const arg = this.expr();
      this.expect(')');
      if (arg.type !== 'selector' || arg.rangeSeconds === undefined) {
        this.fail(`${name}() expects a range vector like metric[5m]`);
      }
      return { type: 'call', fn: name, arg };
    }
    return this.selector(name);
  }

  private selector(name: string | undefined): Expr {
    const matchers: Matcher[] = name ? [{ label: '__name__', op: '=', value: name }] : [];
    if (this.eat('{')) {
      while (!this.eat('}')) {
        const label = this.ident();
        this.space();
        const op = (['=~', '!~', '!=', '='] as const).find((o) => this.eat(o));
        if (!op) this.fail('expected one of =, !=, =~, !~');
        const value = this.string();
        const m: Matcher = { label, op, value };
        if (op === '=~' || op === '!~') {
          try {
            m.re = new RegExp(`^(?:${value})$`);
          } catch {
            this.fail(`invalid regular expression "${value}"`);
          }
        }
        matchers.push(m);
        if (!this.eat(',')) {
          this.expect('}');
          break;
        }
      }
    }
    if (matchers.length === 0) this.fail('a selector needs a metric name or a label matcher');
    let rangeSeconds: number | undefined;
    if (this.eat('[')) {
      const end = this.text.indexOf(']', this.pos);
      if (end < 0) this.fail('expected "]"');
      rangeSeconds = parseDuration(this.text.slice(this.pos, end).trim());
      this.pos = end + 1;
    }
    return { type: 'selector', matchers, rangeSeconds };
  }
}

const MAX_QUERY_LENGTH = 10_000;

export function parsePromQL(text: string): Expr {
  if (text.length > MAX_QUERY_LENGTH)
    throw new PromQLError(`query longer than ${MAX_QUERY_LENGTH} characters`);
  return new Parser(text).parse();
}
