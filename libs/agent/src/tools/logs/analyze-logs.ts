// analyze_logs: one container's log as the log model reads it (libs/diagnostics src/logs): formats,
// severities, the error templates ranked (count, first/last time, new or a recent burst), the entities
// each names (hosts, URLs, DB codes, HTTP requests, files, config keys, Forbidden verb/resource), the
// cause classes found, per-endpoint 5xx and latency, the gaps met, and the verdict a process that
// Kubernetes calls healthy gets. Templates instead of raw lines: a model reads 5,000 lines in a page.
import {
  analyzeLog,
  describeSignal,
  type LogAnalysis,
  type LogTemplate,
  logHealth,
  type Pod,
  quoteTemplate,
  windowOf,
} from '@foxhound/diagnostics';
import { z } from 'zod';
import { ClusterReadError } from '../../cluster/reader';
import { defineTool, failed, noData, ok } from '../define';
import { nameParam, namespaceParam } from '../kubernetes/params';

const DEFAULT_TAIL = 2_000;
const MAX_TAIL = 5_000;
/** Bytes asked of the API server per log: a bound on memory whatever the tail says. */
const LIMIT_BYTES = 2 * 1024 * 1024;
const MAX_TEMPLATES_SHOWN = 15;
const OUTPUT_BUDGET = 16_000;

function entitiesLine(t: LogTemplate): string | undefined {
  const e = t.entities;
  const parts = [
    e.hosts.length && `hosts ${e.hosts.map((h) => (h.port ? `${h.host}:${h.port}` : h.host)).join(', ')}`,
    e.urls.length && `urls ${e.urls.join(', ')}`,
    e.dbCodes.length && `db codes ${e.dbCodes.join(', ')}`,
    e.http.length &&
      `http ${e.http.map((h) => [h.method, h.path, h.status].filter((x) => x !== undefined).join(' ')).join(', ')}`,
    e.durationsMs.length && `durations ${e.durationsMs.map((d) => `${Math.round(d)}ms`).join(', ')}`,
    e.files.length && `files ${e.files.join(', ')}`,
    e.configKeys.length && `config keys ${e.configKeys.join(', ')}`,
    e.forbidden &&
      `forbidden: ${e.forbidden.user} cannot ${e.forbidden.verb} ${e.forbidden.resource}${e.forbidden.group ? `.${e.forbidden.group}` : ''}${e.forbidden.namespace ? ` in ${e.forbidden.namespace}` : ''}`,
  ].filter((p): p is string => !!p);
  return parts.length ? `     entities: ${parts.join('; ')}` : undefined;
}

function templatesBlock(a: LogAnalysis): string[] {
  return a.templates.slice(0, MAX_TEMPLATES_SHOWN).flatMap((t, i) => {
    const flags = [t.isNew ? 'new' : '', t.recentShare >= 0.6 && t.count > 1 ? 'recent burst' : '']
      .filter(Boolean)
      .join(', ');
    const head = `${i + 1}. [${t.severity}] x${t.count}${flags ? ` (${flags})` : ''} ${t.template}`;
    const example = t.example !== t.template ? `     e.g. ${quoteTemplate(t)}` : undefined;
    return [head, example, entitiesLine(t)].filter((x): x is string => !!x);
  });
}

export const analyzeLogs = defineTool({
  name: 'analyze_logs',
  description:
    "Analyze one container's log instead of reading it: error templates ranked by count, recency and novelty (each quoted once with its count and first/last time), the hosts, URLs, DB error codes, HTTP requests, files, config keys and Forbidden verbs they name, cause classes (DNS, refused, TLS, auth, RBAC, disk full, OOM, config, bind...), per-endpoint 5xx rates and latency, and whether the log shows a problem even though the pod is Ready. Use it first on a pod's log; use fetch_pod_logs for the raw lines around something it found.",
  params: z.object({
    namespace: namespaceParam,
    pod: nameParam.describe('The pod name (kubectl_get kind=Pod).'),
    container: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .max(63)
      .optional()
      .describe('Defaults to the first container.'),
    previous: z
      .boolean()
      .optional()
      .describe('Analyze the previous (crashed) instance instead of the current one.'),
    tailLines: z.number().int().min(1).max(MAX_TAIL).optional().describe(`Default ${DEFAULT_TAIL}.`),
  }),
  summary: (p) =>
    `Analyzing ${p.previous ? 'previous ' : ''}logs of ${p.namespace}/${p.pod}${p.container ? ` (${p.container})` : ''}`,
  outputBudget: OUTPUT_BUDGET,
  run: async (p, ctx) => {
    const pod = (await ctx.cluster.get('pods', p.pod, p.namespace)) as Pod | undefined;
    if (!pod)
      return noData(`Pod ${p.namespace}/${p.pod} not found.`, `Pod ${p.namespace}/${p.pod} not found`);
    const names = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name);
    const container = p.container ?? pod.spec.containers[0]!.name;
    if (!names.includes(container))
      return failed(
        `Pod ${p.namespace}/${p.pod} has no container "${container}"; its containers: ${names.join(', ')}.`,
      );
    const status = [
      ...(pod.status?.containerStatuses ?? []),
      ...(pod.status?.initContainerStatuses ?? []),
    ].find((s) => s.name === container);
    const restarted = !!status?.lastState?.terminated || (status?.restartCount ?? 0) > 0;
    const where = `${p.previous ? 'previous ' : ''}log of ${p.namespace}/${p.pod} (${container})`;
    if (p.previous && !restarted)
      return noData(
        `${container} in ${p.namespace}/${p.pod} has not restarted, so there is no previous log. Analyze the current one.`,
        `No previous log: ${container} never restarted`,
      );
    const read = async (previous: boolean): Promise<string[] | undefined> => {
      try {
        const text = await ctx.cluster.podLogs(p.namespace, p.pod, {
          container,
          previous,
          tailLines: p.tailLines ?? DEFAULT_TAIL,
          limitBytes: LIMIT_BYTES,
        });
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        return lines;
      } catch (err) {
        if (err instanceof ClusterReadError && err.status === 400) return undefined;
        throw err;
      }
    };
    const lines = await read(!!p.previous);
    if (!lines) return noData(`No ${where}: the container has not started.`, `No ${where}`);
    if (lines.length === 0)
      return noData(`The ${where} is empty: the container wrote nothing.`, `Empty ${where}`);
    // The previous instance's templates tell which of the current ones are new since the restart.
    const before = !p.previous && restarted ? await read(true) : undefined;
    const now = ctx.now().getTime();
    const a = before?.length
      ? analyzeLog(lines, { previous: before, reference: now })
      : analyzeLog(lines, { reference: now });
    const health = logHealth(lines, now);

    const formats = Object.entries(a.formats)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ');
    const sev = Object.entries(a.severities)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    const gaps = Object.entries(a.gaps)
      .filter(([, n]) => n > 0)
      .map(([g, n]) => `${g} ${n}`)
      .join(', ');
    const out = [
      `${a.lines} lines (${a.eventCount} events, ${Math.round(a.bytes / 1024)} KiB) from the ${where} ${windowOf(a)}${before ? `; compared with the previous instance (${before.length} lines)` : ''}.`,
      `Formats: ${formats || 'none'}. Severities: ${sev || 'none'}.${gaps ? ` Gaps: ${gaps}.` : ''}`,
    ];
    const problem = health.problem;
    if (problem?.kind === 'fatal-class')
      out.push(`Verdict: failing: ${describeSignal(problem.signal)} (x${problem.signal.count}).`);
    else if (problem?.kind === 'server-errors' || problem?.kind === 'latency') {
      const e = problem.endpoint;
      out.push(
        `Verdict: failing: ${e.method ?? ''} ${e.path} ${problem.kind === 'server-errors' ? `answers ${e.serverErrors}/${e.requests} requests with 5xx` : `is slow (p95 ${Math.round(e.p95Ms ?? 0)} ms, ${e.slow} over 1 s)`}.`,
      );
    } else if (problem?.kind === 'error-rate')
      out.push(
        `Verdict: failing: ${health.errors} of ${health.events} events are errors, dominated by ${quoteTemplate(problem.template)}.`,
      );
    else
      out.push(
        `Verdict: no problem by the log alone (${health.errors} error events of ${health.events}; warnings, 4xx and debug traces are not counted as failures).`,
      );
    if (health.signals.length)
      out.push(
        `Cause classes: ${health.signals
          .slice(0, 8)
          .map((s) => `${s.kind} x${s.count} (${describeSignal(s)})`)
          .join('; ')}.`,
      );
    const endpoints = a.endpoints.filter((e) => e.serverErrors > 0 || e.slow > 0).slice(0, 8);
    if (endpoints.length)
      out.push(
        'Endpoints with 5xx or slow requests:',
        ...endpoints.map(
          (e) =>
            `- ${e.method ?? ''} ${e.path}: ${e.requests} requests, ${e.serverErrors} 5xx, ${e.slow} slow${e.p95Ms !== undefined ? `, p95 ${Math.round(e.p95Ms)} ms` : ''}`,
        ),
      );
    out.push(`Templates (${a.templates.length}, errors first):`, ...templatesBlock(a));
    const summary = problem
      ? `${where}: ${health.errors} error events; ${health.signals[0] ? describeSignal(health.signals[0]) : (health.dominant?.template ?? problem.kind)}`
      : `${where}: ${a.templates.length} templates, no problem by the log alone`;
    return ok(out.join('\n'), summary, {
      templates: a.templates.slice(0, MAX_TEMPLATES_SHOWN),
      signals: health.signals,
      endpoints: a.endpoints,
      gaps: a.gaps,
      problem: problem?.kind,
    });
  },
});
