// The alert rule file (apps/gateway/observability/gateway.rules.yaml) checked the way promtool and
// pint would, against what the gateway really registers: the rule file's shape, every expression's
// brackets, matchers, ranges and functions, every metric name it reads (and its type: rate() and
// increase() only over counters and histogram series), and every label it matches, groups by or
// templates. The metrics come from the same factories server/app.ts uses, and a real gateway's
// /metrics must list each family.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { createServiceMetrics } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { startHarness, type Harness } from '../__fixtures__/harness';
import { createGatewayMetrics } from './metrics';

const RULES_FILE = resolve(__dirname, '../../observability/gateway.rules.yaml');
const DURATION = /^(\d+(ms|[smhdwy]))+$/;
const SEVERITIES = new Set(['critical', 'warning', 'info']);
const FUNCTIONS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'increase',
  'histogram_quantile',
  'clamp_min',
]);
const KEYWORDS = new Set(['by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'bool', 'offset']);
const HISTOGRAM_SERIES = ['_bucket', '_count', '_sum'];

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}

/** name → { type, labels } for every metric family the gateway registers. */
function exportedMetrics(): Map<string, { type: string; labels: string[] }> {
  const base = createServiceMetrics('gateway');
  createGatewayMetrics(base, () => 0);
  const families = new Map<string, { type: string; labels: string[] }>();
  for (const metric of base.registry.getMetricsAsArray()) {
    const m = metric as unknown as { name: string; type: string; labelNames?: string[] };
    families.set(m.name, { type: String(m.type), labels: m.labelNames ?? [] });
  }
  return families;
}

/** The family a series name belongs to, and whether it is a histogram's series. */
function familyOf(name: string, families: Map<string, { type: string; labels: string[] }>) {
  if (families.has(name)) return { family: name, histogramSeries: false };
  const suffix = HISTOGRAM_SERIES.find((s) => name.endsWith(s));
  const family = suffix ? name.slice(0, -suffix.length) : undefined;
  if (family && families.get(family)?.type === 'histogram') return { family, histogramSeries: true };
  return undefined;
}

/** Problems promtool-like checks find in one expression; empty when it is sound. */
function checkExpr(expr: string, families: Map<string, { type: string; labels: string[] }>): string[] {
  const problems: string[] = [];
  const strings: string[] = [];
  // Strings out first, so brackets and names inside regexes do not count.
  const bare = expr.replace(/"((?:[^"\\]|\\.)*)"/g, (_, s: string) => {
    strings.push(s);
    return `"${strings.length - 1}"`;
  });
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const ch of bare) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) problems.push(`unbalanced ${ch}`);
  }
  if (stack.length) problems.push(`unclosed ${stack.join('')}`);
  for (const [, range] of bare.matchAll(/\[([^\]]*)\]/g)) {
    if (!DURATION.test(range!)) problems.push(`bad range [${range}]`);
  }
  const metrics = new Set<string>();
  const labelsUsed = new Set<string>();
  for (const [, name, body] of bare.matchAll(/([a-zA-Z_:][\w:]*)?\{([^}]*)\}/g)) {
    if (name) metrics.add(name);
    for (const matcher of body!.split(',')) {
      const m = /^\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"(\d+)"\s*$/.exec(matcher);
      if (!m) {
        problems.push(`bad matcher ${matcher}`);
        continue;
      }
      labelsUsed.add(m[1]!);
      if (m[2]!.includes('~')) {
        try {
          new RegExp(`^(?:${strings[Number(m[3])]})$`);
        } catch {
          problems.push(`bad regex in ${matcher}`);
        }
      }
    }
  }
  for (const [, list] of bare.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const label of list!
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean))
      labelsUsed.add(label);
  }
  const withoutLists = bare.replace(/\b(?:by|without)\s*\([^)]*\)/g, ' ').replace(/\{[^}]*\}/g, ' ');
  for (const [, fn] of withoutLists.matchAll(/([a-zA-Z_]\w*)\s*\(/g)) {
    if (!FUNCTIONS.has(fn!)) problems.push(`unknown function ${fn}`);
  }
  // Whole identifiers not followed by `(`, outside ranges and strings, are metric names.
  const names = withoutLists.replace(/\[[^\]]*\]/g, ' ').replace(/"\d+"/g, ' ');
  for (const m of names.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const calls = names.slice(m.index + m[0].length).trimStart().startsWith('(');
    if (!calls && !KEYWORDS.has(m[0])) metrics.add(m[0]);
  }
  const allowedLabels = new Set<string>();
  for (const name of metrics) {
    const found = familyOf(name, families);
    if (!found) {
      problems.push(`the gateway exports no metric ${name}`);
      continue;
    }
    const family = families.get(found.family)!;
    family.labels.forEach((l) => allowedLabels.add(l));
    if (found.histogramSeries) allowedLabels.add('le');
  }
  for (const label of labelsUsed) {
    if (!allowedLabels.has(label)) problems.push(`no metric in the expression has the label ${label}`);
  }
  for (const [, fn, name] of bare.matchAll(/\b(rate|increase)\(\s*([a-zA-Z_:][\w:]*)/g)) {
    const found = familyOf(name!, families);
    if (found && !found.histogramSeries && families.get(found.family)!.type !== 'counter')
      problems.push(`${fn}() over ${name}, a ${families.get(found.family)!.type}`);
  }
  return problems;
}

const families = exportedMetrics();
const document = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
const rules = document.groups.flatMap((g) => g.rules);

it('is one group of uniquely named alerts, each with a duration, a severity and its annotations', () => {
  expect(document.groups.map((g) => g.name)).toStrictEqual(['foxhound-gateway']);
  expect(rules.length).toBeGreaterThan(0);
  expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  for (const rule of rules) {
    expect(Object.keys(rule).sort()).toStrictEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
    expect(rule.alert).toMatch(/^FoxhoundGateway[A-Z][A-Za-z]+$/);
    expect(rule.for).toMatch(DURATION);
    expect(SEVERITIES.has(rule.labels.severity)).toBe(true);
    expect(rule.annotations.summary.length).toBeGreaterThan(10);
    expect(rule.annotations.description.length).toBeGreaterThan(10);
  }
});

it.each(rules.map((r) => [r.alert, r] as const))('%s reads only what the gateway exports', (_, rule) => {
  expect(checkExpr(rule.expr, families)).toStrictEqual([]);
  // A template may only name a label the expression's result keeps (its `by` list).
  const kept = new Set(
    [...rule.expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
  );
  const text = `${rule.annotations.summary} ${rule.annotations.description}`;
  for (const [, label] of text.matchAll(/\$labels\.(\w+)/g)) expect(kept).toContain(label);
});

it('catches what promtool would: unknown metrics and labels, bad ranges, rate over a gauge, broken brackets', () => {
  expect(checkExpr('rate(foxhound_gateway_nope_total[5m]) > 0', families)).toStrictEqual([
    'the gateway exports no metric foxhound_gateway_nope_total',
  ]);
  expect(
    checkExpr('sum by (tenant) (rate(foxhound_gateway_store_retries_total[5x]))', families),
  ).toStrictEqual(['bad range [5x]', 'no metric in the expression has the label tenant']);
  expect(checkExpr('rate(foxhound_gateway_live_streams[5m])', families)).toStrictEqual([
    'rate() over foxhound_gateway_live_streams, a gauge',
  ]);
  expect(checkExpr('sum(foxhound_gateway_live_streams{code=~"("}', families)).toStrictEqual([
    'unclosed (',
    'bad regex in code=~"0"',
    'no metric in the expression has the label code',
  ]);
  expect(checkExpr('predict(foxhound_gateway_live_streams)', families)).toStrictEqual([
    'unknown function predict',
  ]);
});

describe('a running gateway', () => {
  let store: Store;
  let harness: Harness;
  beforeAll(async () => {
    store = await createStore({});
    harness = await startHarness(store);
  });
  afterAll(async () => {
    await harness.close();
    await store.close();
  });

  it('lists every metric family the rules read on /metrics', async () => {
    const { text } = await request(harness.url).get('/metrics').expect(200);
    const listed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const read = new Set(
      rules.flatMap((r) =>
        [...r.expr.matchAll(/foxhound_gateway_\w+/g)].map((m) => familyOf(m[0], families)!.family),
      ),
    );
    expect(read.size).toBeGreaterThan(5);
    for (const family of read) expect(listed).toContain(family);
  });
});
